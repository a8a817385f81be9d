"""The statuses of a referral: which are final, and which may follow which.

One definition of "final", used by the transition table below and by the indicator catalogue
(`percentage-doorverwijzingen-afgerond` divides by the referrals with a final status).
"""

from enum import StrEnum

# Final: the referral is closed, and no status may follow, not even `onbekend`: a closed referral is
# what the completion indicators count. A resident who did not show up is referred anew (a new
# referral with a new contactmoment), so the old one keeps counting as it was closed.
EINDSTATUSSEN: tuple[str, ...] = ("afgerond", "afgewezen", "niet-verschenen")

# Which status may follow which. `onbekend` (lost track) may become anything once more is known.
# A new status is never the current one.
OVERGANGEN: dict[str, tuple[str, ...]] = {
    "voorgesteld": ("verwezen", "aangekomen", "afgewezen", "onbekend"),
    "verwezen": ("aangekomen", "afgerond", "afgewezen", "niet-verschenen", "onbekend"),
    "aangekomen": ("afgerond", "afgewezen", "onbekend"),
    "onbekend": ("voorgesteld", "verwezen", "aangekomen", "afgerond", "afgewezen", "niet-verschenen"),
    **{status: () for status in EINDSTATUSSEN},
}

# The statuses a PATCH can move a referral to: every target of the table above, as an enum in the document.
Doorverwijzingstatus = StrEnum(  # type: ignore[misc]
    "Doorverwijzingstatus",
    {status.replace("-", "_"): status for status in OVERGANGEN if any(status in naar for naar in OVERGANGEN.values())},
)
