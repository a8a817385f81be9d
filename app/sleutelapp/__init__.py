"""The key persons' own app at /app: register, follow up, see one's own month; offline-first."""
