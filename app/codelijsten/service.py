"""Code lists: lookup and validation of codes used by records."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import case, func, or_
from sqlmodel import Session, select

from app.core import caches
from app.core.errors import Conflict, NietGevonden, OngeldigeInvoer
from app.models import Code
from app.toegang import audit
from app.toegang.caller import Caller

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
EFFECT = "effect"
INZET_SOORT = "inzet-soort"
PROFESSIONEEL_CONTACT_SOORT = "professioneel-contact-soort"
DESKUNDIGHEID_SOORT = "deskundigheid-soort"
GEMEENTE = "gemeente"
REGELING = "regeling"
KOSTEN_SOORT = "kosten-soort"


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
    known = lookup(session, lijst=lijst)
    keep = set(allow_inactive)
    problems: list[dict[str, str]] = []
    for name, value in values:
        if value is None:
            continue
        entry = known.get(value)
        if entry is None:
            problems.append({"name": name, "reason": f"Onbekende code `{value}` in codelijst {lijst}.", "code": "niet-toegestaan"})
        elif not entry.actief and value not in keep:
            problems.append({"name": name, "reason": f"Code `{value}` in codelijst {lijst} is gedeactiveerd."})
    return problems


# --- Code-list administration and lookup (API: /v1/codelijsten, /v1/onderwerpen) ---

# Every list the service knows, with its Dutch description; lists are fixed, their entries are not.
LIJSTEN: dict[str, str] = {
    ONDERWERP: "Onderwerpen van hulpvragen, hiërarchisch: hoofdonderwerp en subonderwerp (`geld.toeslagen`).",
    KANAAL: "Kanalen waarlangs een contactmoment plaatsvindt.",
    ROL: "Rollen van een sleutelpersoon (de vijf rollen van Pharos en helper).",
    ACTIE: "Acties die een sleutelpersoon onderneemt.",
    RESULTAAT: "Resultaten (uitkomsten) van een hulpvraag of doorverwijzing.",
    DOORVERWIJZING_STATUS: "Statussen van een doorverwijzing.",
    DOORVERWIJZING_WIJZE: "Wijze van doorverwijzen: warme overdracht of informatief.",
    KETENPARTNER_CATEGORIE: "Categorieën van ketenpartners op de sociale kaart.",
    LEEFTIJDSCATEGORIE: "Leeftijdscategorieën van inwoners.",
    GESLACHT: "Geslacht van inwoners.",
    DOELGROEP: "Doelgroepen (optioneel en gevoelig).",
    ORGANISATIE_SOORT: "Soorten organisaties die sleutelpersonen inzetten.",
    DIENSTVERBAND: "Dienstverband van een sleutelpersoon.",
    SOORT_CONTACT: "Soort contactmoment: individueel of groep.",
    EFFECT: "Effecten van de inzet van sleutelpersonen in ervaringsverhalen (handreiking, hoofdstuk 7).",
    INZET_SOORT: "Soorten inzet: waaraan een sleutelpersoon de gewerkte uren besteedde.",
    PROFESSIONEEL_CONTACT_SOORT: "Soorten contacten van sleutelpersonen met professionals: adviesvragen, casusoverleg, voorlichting, ...",
    REGELING: "Regelingen (financieringsstromen) waaruit een project betaald wordt: sociaal domein, Kansrijke Start, ...",
    KOSTEN_SOORT: "Soorten kosten en vergoedingen: vrijwilligersvergoeding, reiskosten, kinderopvang, ...",
    DESKUNDIGHEID_SOORT: "Soorten deskundigheidsbevordering: basistraining, bijscholing, intervisie, coaching, congres, overig.",
    GEMEENTE: "Gemeenten met hun CBS-code (`GM0344`) en officiële naam, volgens de gemeentelijke indeling van het CBS.",
}

HIERARCHISCH = frozenset({ONDERWERP})

# Lowercase kebab-case; for hierarchical lists one `parent.child` level.
CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
HIERARCHISCH_CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)?$"
_CODE_RE = re.compile(CODE_PATTERN)
_HIERARCHISCH_CODE_RE = re.compile(HIERARCHISCH_CODE_PATTERN)

# The audit trail names a code as `lijst/code` in a 64-character column.
_AUDIT_ID_LENGTH = 64

_CACHE_KEY = "codelijsten.lookup"


def max_code_length(lijst: str) -> int:
    """Longest code a list accepts, so `lijst/code` still fits the audit trail's resource id."""
    return min(80, _AUDIT_ID_LENGTH - len(lijst) - 1)


def bestaande_lijst(lijst: str) -> str:
    """Return the list name, or raise 404 when the service does not know the list."""
    if lijst not in LIJSTEN:
        raise NietGevonden(f"Codelijst `{lijst}` bestaat niet; bekende lijsten: {', '.join(sorted(LIJSTEN))}.")
    return lijst


def lookup(session: Session, *, lijst: str) -> dict[str, Code]:
    """Entries of one list by code, cached on the session so a request or import reads each list once.

    The cache lives and dies with the session (one request or one import), so there is nothing to
    invalidate across replicas; writes through this module clear it.
    """
    cache: dict[str, dict[str, Code]] = session.info.setdefault(_CACHE_KEY, {})
    if lijst not in cache:
        cache[lijst] = codes(session, lijst=lijst)
    return cache[lijst]


@dataclass(frozen=True)
class CodeRegel:
    """A code-list entry as validation, mapping and labels read it: a light stand-in for a `Code` row."""

    lijst: str
    code: str
    label: str
    ouder: str | None
    synoniemen: tuple[str, ...]
    volgorde: int
    actief: bool


def preload(session: Session, *, lijsten: Iterable[str]) -> None:
    """Fill the session's lookup cache for these lists from the engine's validation cache (see core.caches).

    The process keeps its copy for `caches.CODELIJSTEN_SECONDEN`; a missing copy is read in one query.
    """
    lijsten = tuple(lijsten)
    cache: dict[str, dict[str, Any]] = session.info.setdefault(_CACHE_KEY, {})
    ontbrekend = [lijst for lijst in lijsten if lijst not in cache]
    if not ontbrekend:
        return
    gedeeld = caches.voor(session.get_bind()).validatie
    gelezen: dict[str, dict[str, CodeRegel]] | None = gedeeld.codes()
    if gelezen is None or any(lijst not in gelezen for lijst in ontbrekend):
        tabel = Code.__table__
        alle = set(lijsten) | set(gelezen or ())
        gelezen = {lijst: {} for lijst in alle}
        for rij in session.execute(select(*tabel.c).where(tabel.c.lijst.in_(alle))):
            gelezen[rij.lijst][rij.code] = CodeRegel(
                lijst=rij.lijst, code=rij.code, label=rij.label, ouder=rij.ouder,
                synoniemen=tuple(rij.synoniemen or ()), volgorde=rij.volgorde, actief=rij.actief,
            )
        gedeeld.bewaar_codes(gelezen)
    cache.update({lijst: gelezen[lijst] for lijst in ontbrekend})


_ACTIEF_KEY = "codelijsten.actief"


def actieve_codes(session: Session, *, lijst: str) -> frozenset[str]:
    """The active codes of one list, derived from (and living exactly as long as) the session's lookup cache.

    For the hot path of validation: a value in this set needs no further check (see `check_codes`).
    """
    known = lookup(session, lijst=lijst)
    afgeleid: dict[str, tuple[Any, frozenset[str]]] = session.info.setdefault(_ACTIEF_KEY, {})
    gevonden = afgeleid.get(lijst)
    if gevonden is None or gevonden[0] is not known:
        gevonden = afgeleid[lijst] = (known, frozenset(code for code, entry in known.items() if entry.actief))
    return gevonden[1]


def _clear_lookup(session: Session) -> None:
    session.info.pop(_CACHE_KEY, None)


def labels(session: Session, *, lijst: str) -> dict[str, str]:
    """Dutch label per code of one list (active and inactive)."""
    return {code: entry.label for code, entry in lookup(session, lijst=lijst).items()}


def overzicht(session: Session) -> list[tuple[str, str, int, int]]:
    """Every known list as (name, description, number of entries, number of active entries)."""
    rows = session.exec(
        select(Code.lijst, func.count(), func.sum(case((Code.actief, 1), else_=0)))  # type: ignore[arg-type]
        .group_by(Code.lijst)
    ).all()
    counts = {lijst: (int(n), int(active or 0)) for lijst, n, active in rows}
    return [(lijst, omschrijving, *counts.get(lijst, (0, 0))) for lijst, omschrijving in LIJSTEN.items()]


def list_codes(
    session: Session, *, lijst: str, actief: bool | None = None, hoofdonderwerp: str | None = None
) -> list[Code]:
    """Entries of one list in display order; optionally only (in)active ones or one topic branch."""
    statement = select(Code).where(Code.lijst == bestaande_lijst(lijst))
    if actief is not None:
        statement = statement.where(Code.actief == actief)
    if hoofdonderwerp is not None:
        statement = statement.where(or_(Code.code == hoofdonderwerp, Code.ouder == hoofdonderwerp))
    return list(session.exec(statement.order_by(Code.volgorde, Code.code)).all())


def get_code(session: Session, *, lijst: str, code: str) -> Code:
    """One entry of a list, or 404."""
    entry = session.get(Code, (bestaande_lijst(lijst), code))
    if entry is None:
        raise NietGevonden(f"Code `{code}` bestaat niet in codelijst {lijst}.")
    return entry


def _synoniemen(values: Iterable[str]) -> list[str]:
    """Trimmed, without empties and without case-insensitive duplicates, in the order given."""
    seen: dict[str, str] = {}
    for value in values:
        cleaned = value.strip()
        if cleaned and cleaned.lower() not in seen:
            seen[cleaned.lower()] = cleaned
    return list(seen.values())


def add_code(
    session: Session,
    *,
    caller: Caller,
    lijst: str,
    code: str,
    label: str,
    synoniemen: Iterable[str] = (),
    volgorde: int | None = None,
) -> Code:
    """Add an entry to a list; for onderwerp a `parent.child` code needs an existing active parent."""
    bestaande_lijst(lijst)
    problems: list[dict[str, str]] = []
    pattern = _HIERARCHISCH_CODE_RE if lijst in HIERARCHISCH else _CODE_RE
    ouder: str | None = None
    if not pattern.match(code):
        voorbeeld = "`geld.toeslagen` of `geld`" if lijst in HIERARCHISCH else "`huisbezoek`"
        problems.append({"name": "code", "reason": f"Code moet uit kleine letters, cijfers en koppeltekens bestaan (bijv. {voorbeeld})."})
    elif len(code) > max_code_length(lijst):
        problems.append({"name": "code", "reason": f"Mag hoogstens {max_code_length(lijst)} tekens lang zijn."})
    elif "." in code:
        ouder = code.split(".", 1)[0]
        parent = session.get(Code, (lijst, ouder))
        if parent is None:
            problems.append({"name": "code", "reason": f"Hoofdonderwerp `{ouder}` bestaat niet; voeg het eerst toe."})
        elif not parent.actief:
            problems.append({"name": "code", "reason": f"Hoofdonderwerp `{ouder}` is gedeactiveerd."})
    if problems:
        raise OngeldigeInvoer(f"Code `{code}` kan niet worden toegevoegd aan codelijst {lijst}.", invalid_params=problems)
    if session.get(Code, (lijst, code)) is not None:
        raise Conflict(
            f"Code `{code}` bestaat al in codelijst {lijst}; codes zijn uniek en blijven bestaan (heractiveer hem met PATCH).",
            extra={"bestaandeCode": code, "lijst": lijst}, code="bestaat-al",
        )
    if volgorde is None:
        volgorde = _next_volgorde(session, lijst=lijst, ouder=ouder)
    entry = Code(lijst=lijst, code=code, label=label, ouder=ouder, synoniemen=_synoniemen(synoniemen),
                 volgorde=volgorde, actief=True)
    session.add(entry)
    session.flush()
    _clear_lookup(session)
    audit.log(session, caller=caller, actie="aangemaakt", resource_type="code", resource_id=f"{lijst}/{code}",
              velden=["code", "label", "synoniemen", "volgorde"])
    return entry


def _next_volgorde(session: Session, *, lijst: str, ouder: str | None) -> int:
    """Place a new entry last: after its siblings, and for a new topic parent in the next block of 100."""
    if ouder is not None:
        statement = select(func.max(Code.volgorde)).where(
            Code.lijst == lijst, or_(Code.code == ouder, Code.ouder == ouder)
        )
        return int(session.exec(statement).one() or 0) + 1
    current = session.exec(select(func.max(Code.volgorde)).where(Code.lijst == lijst)).one()
    if current is None:
        return 0
    if lijst in HIERARCHISCH:
        return (int(current) // 100 + 1) * 100
    return int(current) + 1


def update_code(session: Session, *, caller: Caller, lijst: str, code: str, changes: dict[str, Any]) -> Code:
    """Change label, synonyms, order or active state of an entry; the code itself never changes."""
    entry = get_code(session, lijst=lijst, code=code)
    if "synoniemen" in changes:
        changes["synoniemen"] = _synoniemen(changes["synoniemen"])
    changed = {k: v for k, v in changes.items() if getattr(entry, k) != v}
    if "actief" in changed:
        _check_hierarchy(session, entry=entry, actief=changed["actief"])
    if not changed:
        return entry
    for name, value in changed.items():
        setattr(entry, name, value)
    session.add(entry)
    session.flush()
    _clear_lookup(session)
    if changed.get("actief") is False:
        actie = "gedeactiveerd"
    elif changed.get("actief") is True:
        actie = "geactiveerd"
    else:
        actie = "gewijzigd"
    audit.log(session, caller=caller, actie=actie, resource_type="code", resource_id=f"{lijst}/{code}",
              velden=[to_camel(name) for name in changed])
    return entry


def _check_hierarchy(session: Session, *, entry: Code, actief: bool) -> None:
    """Keep the invariant: an active sub-topic always has an active parent."""
    if not actief:
        children = session.exec(
            select(Code.code).where(Code.lijst == entry.lijst, Code.ouder == entry.code, Code.actief == True)  # noqa: E712
            .order_by(Code.code)
        ).all()
        if children:
            raise Conflict(
                f"Code `{entry.code}` heeft nog actieve subcodes ({', '.join(children)}); deactiveer die eerst.",
                extra={"actieveSubcodes": list(children)}, code="subcodes-actief",
            )
    elif entry.ouder is not None:
        parent = session.get(Code, (entry.lijst, entry.ouder))
        if parent is not None and not parent.actief:
            raise Conflict(
                f"Hoofdcode `{entry.ouder}` is gedeactiveerd; heractiveer die eerst.",
                extra={"ouder": entry.ouder}, code="hoofdcode-inactief",
            )
