"""Demo data of the reporting cycle (issue 27): a region with a quarterly rhythm for its gemeenten, and for the
last ended quarter one organisation approved, one submitted and one late (not submitted, deadline passed).

The rhythm starts at that quarter, so the approval locks only the approved organisation's last quarter, and only
what a region chose to approve; the rest of the demo stays writable.
"""

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from app.models import (
    RapportageHistorie,
    Rapportageritme,
    RapportageritmeOrganisatie,
    Rapportagestatus,
)
from app.rapportage import periodes as rp

REGIO = ("GM0307", "GM0344")  # the demo's regional key
TERMIJN = 30
# Which organisation ends up where: by soort, so it follows the demo's organisations.
ROLLEN = {"ggd": "goedgekeurd", "migrantenorganisatie": "ingediend", "welzijnsorganisatie": "te-laat"}


def laad(session: Session, *, organisaties: Sequence[dict[str, Any]], nieuw_id: Callable[[], uuid.UUID],
         today: date) -> dict[str, str]:
    """Insert the rhythm, its organisations and the statuses with their history; returns organisation -> role."""
    vorig = rp.periode_van(rp.Ritme.kwartaal, rp.periode_van(rp.Ritme.kwartaal, today).vanaf - timedelta(days=1))
    moment = datetime.combine(vorig.vanaf, time(9), tzinfo=UTC)
    ritme = Rapportageritme(id=nieuw_id(), naam="Kwartaalrapportage GGD regio Utrecht en Amersfoort", ritme="kwartaal",
                            gemeentecodes=list(REGIO), termijn_dagen=TERMIJN, vanaf=vorig.vanaf,
                            aangemaakt_op=moment, gewijzigd_op=moment)
    session.add(ritme)
    session.flush()
    rollen: dict[str, str] = {}
    deadline = rp.deadline(vorig, TERMIJN)
    for org in organisaties:
        rol = ROLLEN.get(org["soort"])
        if rol is None or not set(org["gemeentecodes"]) & set(REGIO):
            continue
        session.add(RapportageritmeOrganisatie(ritme_id=ritme.id, organisatie_id=org["id"]))
        rollen[org["naam"]] = rol
        if rol == "te-laat":
            continue  # no row: open, and late once the deadline passed
        ingediend = datetime.combine(min(vorig.tot + timedelta(days=12), today), time(10), tzinfo=UTC)
        status = Rapportagestatus(id=nieuw_id(), ritme_id=ritme.id, organisatie_id=org["id"], periode=vorig.label,
                                  begin=vorig.vanaf, eind=vorig.tot, status=rol, eerst_ingediend_op=ingediend,
                                  ingediend_op=ingediend, gewijzigd_op=ingediend)
        stappen = [("ingediend", "ingediend", ingediend)]
        if rol == "goedgekeurd":
            goedgekeurd = datetime.combine(min(vorig.tot + timedelta(days=20), today), time(14), tzinfo=UTC)
            status.goedgekeurd_op = status.gewijzigd_op = goedgekeurd
            stappen.append(("goedgekeurd", "goedgekeurd", goedgekeurd))
        session.add(status)
        session.flush()
        for actie, na, tijdstip in stappen:
            session.add(RapportageHistorie(id=nieuw_id(), status_id=status.id, tijdstip=tijdstip, actie=actie, status=na))
    session.flush()
    rollen["deadline"] = deadline.isoformat()
    rollen["periode"] = vorig.label
    return rollen
