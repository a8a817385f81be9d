"""Code lists: lookup and validation of codes used by records."""

from collections.abc import Iterable

from sqlmodel import Session, select

from app.models import Code

# The names of the code lists, as stored in `code.lijst`.
ONDERWERP = "onderwerp"
KANAAL = "kanaal"
ROL = "rol"
ACTIE = "actie"
RESULTAAT = "resultaat"
DOORVERWIJZING_STATUS = "doorverwijzing-status"
DOORVERWIJZING_WIJZE = "doorverwijzing-wijze"
KETENPARTNER_CATEGORIE = "ketenpartner-categorie"
LEEFTIJDSCATEGORIE = "leeftijdscategorie"
GESLACHT = "geslacht"
DOELGROEP = "doelgroep"
ORGANISATIE_SOORT = "organisatie-soort"
DIENSTVERBAND = "dienstverband"
SOORT_CONTACT = "soort-contact"


def codes(session: Session, *, lijst: str) -> dict[str, Code]:
    """All entries of one list (active and inactive), by code."""
    return {c.code: c for c in session.exec(select(Code).where(Code.lijst == lijst)).all()}


def check_codes(
    session: Session,
    *,
    lijst: str,
    values: Iterable[tuple[str, str | None]],
    allow_inactive: Iterable[str] = (),
) -> list[dict[str, str]]:
    """Validate (field name, code) pairs against a list; return invalidParams for unknown or inactive codes.

    `allow_inactive` holds codes a record already had: a deactivated code stays valid for old records.
    """
    known = codes(session, lijst=lijst)
    keep = set(allow_inactive)
    problems: list[dict[str, str]] = []
    for name, value in values:
        if value is None:
            continue
        entry = known.get(value)
        if entry is None:
            problems.append({"name": name, "reason": f"Onbekende code `{value}` in codelijst {lijst}."})
        elif not entry.actief and value not in keep:
            problems.append({"name": name, "reason": f"Code `{value}` in codelijst {lijst} is gedeactiveerd."})
    return problems
