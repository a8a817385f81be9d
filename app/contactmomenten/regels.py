"""The rules of a contactmoment that need the database or more than one field.

`controleer` returns every problem at once as invalidParams and raises nothing, so a caller can
merge them with the schema's own errors into one 400 (see service.create).
"""

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlmodel import Session

from app.codelijsten import service as codelijsten
from app.contactmomenten.inhoud import Kinderen
from app.contactmomenten.schemas import ContactmomentCreate
from app.core import caches
from app.core.errors import OngeldigeInvoer
from app.core.validation import check_wijk_in_gemeente
from app.ketenpartners import service as ketenpartners
from app.models import Contactmoment, Doorverwijzing, Uitkomst
from app.projecten import service as projecten
from app.sleutelpersonen import service as sleutelpersonen
from app.toegang.caller import Caller

# Every code list a contactmoment uses.
CODELIJSTEN = (
    codelijsten.ONDERWERP,
    codelijsten.ACTIE,
    codelijsten.KANAAL,
    codelijsten.SOORT_CONTACT,
    codelijsten.ROL,
    codelijsten.LEEFTIJDSCATEGORIE,
    codelijsten.GESLACHT,
    codelijsten.DOELGROEP,
    codelijsten.DOORVERWIJZING_WIJZE,
    codelijsten.DOORVERWIJZING_STATUS,
    codelijsten.RESULTAAT,
)


def _is_eigen(
    session: Session, *, caller: Caller, soort: str, record_id: uuid.UUID, ophalen: Callable[[], Any]
) -> bool:
    """Whether a key person or partner the caller may use exists (a yes is remembered, see core.caches).

    A yes holds for whoever sees what this caller sees: the organisation, or one key person's device
    (which scoping narrows to itself), so the remembered answers are kept apart per device's key person.
    """
    sleutel = (soort, caller.organisatie_id, caller.sleutelpersoon_id, record_id)
    gedeeld = caches.voor(session.get_bind()).validatie
    if gedeeld.is_eigen(sleutel):
        return True
    if ophalen() is None:
        return False
    gedeeld.bewaar_eigen(sleutel)
    return True


def controleer(
    session: Session,
    *,
    caller: Caller,
    data: ContactmomentCreate,
    heeft_referentie: bool,
    bestaand: Contactmoment | None = None,
    bestaande_kinderen: Kinderen | None = None,
) -> list[dict[str, str]]:
    """Every rule that needs the database or more than one field; returns invalidParams, raises nothing.

    Field formats were already checked by the schema. For a correction (`bestaand`), codes the
    record already had stay valid after deactivation and its own key person needs no new check.
    """
    problems: list[dict[str, str]] = []
    oud = bestaande_kinderen or Kinderen()
    # A field that failed the schema is None here (see core.schemas.alle_fouten): its rules are skipped.
    verwijzingen = data.doorverwijzingen or []
    codelijsten.preload(session, lijsten=CODELIJSTEN)

    nieuwe_persoon = bestaand is None or data.sleutelpersoon_id != bestaand.sleutelpersoon_id
    if data.sleutelpersoon_id is not None and nieuwe_persoon and not _is_eigen(
        session,
        caller=caller,
        soort="sleutelpersoon",
        record_id=data.sleutelpersoon_id,
        ophalen=lambda: sleutelpersonen.get_own(session, caller=caller, sleutelpersoon_id=data.sleutelpersoon_id),
    ):
        problems.append(
            {
                "name": "sleutelpersoonId",
                "reason": f"Sleutelpersoon {data.sleutelpersoon_id} bestaat niet.",
            }
        )
    # Not through the remembered yes of _is_eigen: a project can be deleted (when nothing is charged to it).
    if data.project_id is not None and (bestaand is None or data.project_id != bestaand.project_id):
        problems += projecten.controleer_project(session, caller=caller, project_id=data.project_id)
    partners: dict[uuid.UUID, bool] = {}
    for i, verwijzing in enumerate(verwijzingen):
        if verwijzing.ketenpartner_id not in partners:
            partner_id = verwijzing.ketenpartner_id
            partners[partner_id] = _is_eigen(
                session,
                caller=caller,
                soort="ketenpartner",
                record_id=partner_id,
                ophalen=lambda partner_id=partner_id: ketenpartners.get_own(  # type: ignore[misc]
                    session, caller=caller, ketenpartner_id=partner_id
                ),
            )
        if not partners[verwijzing.ketenpartner_id]:
            problems.append(
                {
                    "name": f"doorverwijzingen[{i}].ketenpartnerId",
                    "reason": f"Ketenpartner {verwijzing.ketenpartner_id} bestaat niet.",
                }
            )

    def oud_van(naam: str) -> list[str]:
        waarde = getattr(bestaand, naam, None) if bestaand is not None else None
        return [waarde] if waarde else []

    if not _codes_zeker_geldig(session, data):
        problems += _code_problemen(session, data, oud, oud_van)
    return problems + _overige_problemen(data, heeft_referentie=heeft_referentie, oud=oud)


def _codes_zeker_geldig(session: Session, data: ContactmomentCreate) -> bool:
    """True when every code of the contactmoment is active in its list: nothing for `check_codes` to report.

    The common case in an import of a million rows, checked with one set look-up per value; any other
    outcome (an unknown or inactive code, which a correction may keep) goes through `check_codes`.
    """
    inwoner = data.inwoner
    verwijzingen = data.doorverwijzingen or []
    per_lijst: tuple[tuple[str, Iterable[str | None]], ...] = (
        (codelijsten.ONDERWERP, [*(data.onderwerpen or ()), *(d.onderwerp for d in verwijzingen)]),
        (codelijsten.ACTIE, data.acties or ()),
        (codelijsten.KANAAL, (data.kanaal,)),
        (codelijsten.SOORT_CONTACT, (data.soort,)),
        (codelijsten.ROL, (data.rol,)),
        (codelijsten.LEEFTIJDSCATEGORIE, (inwoner.leeftijdscategorie if inwoner else None,)),
        (codelijsten.GESLACHT, (inwoner.geslacht if inwoner else None,)),
        (codelijsten.DOELGROEP, (inwoner.doelgroep if inwoner else None,)),
        (codelijsten.DOORVERWIJZING_WIJZE, [d.wijze for d in verwijzingen]),
        (codelijsten.DOORVERWIJZING_STATUS, [d.status for d in verwijzingen]),
        (codelijsten.RESULTAAT, (data.uitkomst.resultaat if data.uitkomst else None,)),
    )
    for lijst, waarden in per_lijst:
        actief = codelijsten.actieve_codes(session, lijst=lijst)
        if not all(w is None or w in actief for w in waarden):
            return False
    return True


def _code_problemen(
    session: Session, data: ContactmomentCreate, oud: Kinderen, oud_van: Callable[[str], list[str]]
) -> list[dict[str, str]]:
    """invalidParams for every unknown or inactive code (a correction keeps the codes its record had)."""
    problems: list[dict[str, str]] = []
    verwijzingen = data.doorverwijzingen or []
    onderwerpen = data.onderwerpen
    inwoner = data.inwoner
    checks: list[tuple[str, list[tuple[str, str | None]], list[str]]] = [
        (
            codelijsten.ONDERWERP,
            [(f"onderwerpen[{i}]", c) for i, c in enumerate(onderwerpen or [])]
            + [
                (f"doorverwijzingen[{i}].onderwerp", d.onderwerp)
                for i, d in enumerate(verwijzingen)
            ],
            oud.onderwerpen,
        ),
        (codelijsten.ACTIE, [(f"acties[{i}]", c) for i, c in enumerate(data.acties or [])], oud.acties),
        (codelijsten.KANAAL, [("kanaal", data.kanaal)], oud_van("kanaal")),
        (codelijsten.SOORT_CONTACT, [("soort", data.soort)], oud_van("soort")),
        (codelijsten.ROL, [("rol", data.rol)], oud_van("rol")),
        (
            codelijsten.LEEFTIJDSCATEGORIE,
            [("inwoner.leeftijdscategorie", inwoner.leeftijdscategorie if inwoner else None)],
            oud_van("leeftijdscategorie"),
        ),
        (
            codelijsten.GESLACHT,
            [("inwoner.geslacht", inwoner.geslacht if inwoner else None)],
            oud_van("geslacht"),
        ),
        (
            codelijsten.DOELGROEP,
            [("inwoner.doelgroep", inwoner.doelgroep if inwoner else None)],
            oud_van("doelgroep"),
        ),
        (
            codelijsten.DOORVERWIJZING_WIJZE,
            [
                (f"doorverwijzingen[{i}].wijze", d.wijze)
                for i, d in enumerate(verwijzingen)
            ],
            [],
        ),
        (
            codelijsten.DOORVERWIJZING_STATUS,
            [
                (f"doorverwijzingen[{i}].status", d.status)
                for i, d in enumerate(verwijzingen)
            ],
            [],
        ),
        (
            codelijsten.RESULTAAT,
            [("uitkomst.resultaat", data.uitkomst.resultaat if data.uitkomst else None)],
            [],
        ),
    ]
    for lijst, values, allow_inactive in checks:
        problems += codelijsten.check_codes(
            session, lijst=lijst, values=values, allow_inactive=allow_inactive
        )
    return problems


def _overige_problemen(data: ContactmomentCreate, *, heeft_referentie: bool, oud: Kinderen) -> list[dict[str, str]]:
    """The rules over more than one field: wijk within gemeente, group size, referral topics and dates."""
    problems: list[dict[str, str]] = []
    verwijzingen = data.doorverwijzingen or []
    onderwerpen = data.onderwerpen
    reden = check_wijk_in_gemeente(data.wijkcode, data.gemeentecode)
    if reden:
        problems.append({"name": "wijkcode", "reason": reden})
    if data.soort == "groep":
        if data.aantal_deelnemers is not None and data.aantal_deelnemers < 2:
            problems.append(
                {
                    "name": "aantalDeelnemers",
                    "reason": f"Een groepsbijeenkomst heeft minstens 2 deelnemers, niet {data.aantal_deelnemers}.",
                }
            )
        if heeft_referentie:
            problems.append(
                {
                    "name": "inwonerReferentie",
                    "reason": "Een groepsbijeenkomst heeft geen inwonerReferentie; laat dit veld weg.",
                }
            )
    elif data.soort == "individueel" and data.aantal_deelnemers not in (1, None):
        problems.append(
            {
                "name": "aantalDeelnemers",
                "reason": f"Een individueel contact heeft 1 deelnemer, niet {data.aantal_deelnemers}; gebruik soort `groep`.",
            }
        )
    for i, verwijzing in enumerate(verwijzingen):
        if onderwerpen is not None and verwijzing.onderwerp is not None and verwijzing.onderwerp not in onderwerpen:
            problems.append(
                {
                    "name": f"doorverwijzingen[{i}].onderwerp",
                    "reason": f"Onderwerp `{verwijzing.onderwerp}` is geen onderwerp van dit contactmoment; "
                    f"kies uit: {', '.join(onderwerpen)}.",
                }
            )
        if verwijzing.status_datum is not None and data.datum is not None and verwijzing.status_datum < data.datum:
            problems.append(
                {
                    "name": f"doorverwijzingen[{i}].statusDatum",
                    "reason": f"Datum {verwijzing.status_datum.isoformat()} ligt vóór de datum van het contactmoment "
                    f"({data.datum.isoformat()}).",
                }
            )
    # A correction must keep the referrals already recorded consistent with the topics (dates: see corrigeer).
    for verwijzing in oud.doorverwijzingen:
        if onderwerpen is not None and verwijzing.onderwerp is not None and verwijzing.onderwerp not in onderwerpen:
            problems.append(
                {
                    "name": "onderwerpen",
                    "reason": f"Doorverwijzing {verwijzing.id} gaat over onderwerp `{verwijzing.onderwerp}`; "
                    "dat onderwerp kan daarom niet vervallen.",
                }
            )
    return problems


def weiger(problems: list[dict[str, str]]) -> OngeldigeInvoer:
    return OngeldigeInvoer.met(problems, onderwerp="Het contactmoment", slot=" Er is niets opgeslagen.")


def later_datum_problemen(
    oud: date, nieuw: date, verwijzingen: list[Doorverwijzing], uitkomsten: list[Uitkomst]
) -> list[dict[str, str]]:
    """Dates of children that a later contact date would leave before it (those on the old date move along)."""
    problems = []
    for verwijzing in verwijzingen:
        if verwijzing.status_datum < nieuw and verwijzing.status_datum != oud:
            problems.append(
                {
                    "name": "datum",
                    "reason": f"Doorverwijzing {verwijzing.id} heeft statusdatum {verwijzing.status_datum.isoformat()}, "
                    f"vóór {nieuw.isoformat()}; het contactmoment kan niet later liggen.",
                }
            )
    for uitkomst in uitkomsten:
        if uitkomst.datum < nieuw and uitkomst.datum != oud:
            problems.append(
                {
                    "name": "datum",
                    "reason": f"Uitkomst {uitkomst.id} heeft datum {uitkomst.datum.isoformat()}, "
                    f"vóór {nieuw.isoformat()}; het contactmoment kan niet later liggen.",
                }
            )
    return problems
