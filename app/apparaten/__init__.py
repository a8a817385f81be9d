"""Key persons' own devices: invitations by a coordinator, device sessions, and their revocation."""
