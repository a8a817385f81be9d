"""The app's icons: inline SVG strokes (24x24), always shown beside a text label, never alone."""

ICONEN: dict[str, str] = {
    "plus": '<circle cx="12" cy="12" r="9"/><path d="M12 8v8M8 12h8"/>',
    "pijl": '<path d="M5 12h14M13 6l6 6-6 6"/>',
    "staaf": '<path d="M5 20V10M12 20V4M19 20v-7"/>',
    "klok": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "vlag": '<path d="M5 21V4M5 4h11l-2 4 2 4H5"/>',
    "ballon": '<path d="M4 5h16v11H9l-5 4z"/>',
    "vink": '<path d="M5 12l5 5 9-10"/>',
}
