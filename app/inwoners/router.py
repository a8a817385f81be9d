"""Routes for /v1/inwoners: residents' AVG rights."""

from fastapi import APIRouter

from app.core.db import SessionDep
from app.inwoners import service
from app.inwoners.schemas import VergeetResultaat, VergeetVerzoek
from app.toegang.dependencies import RegistrerenDep

router = APIRouter(tags=["inwoners"])


@router.post("/inwoners/_vergeet", response_model=VergeetResultaat, summary="Inwoner vergeten (AVG)",
    description=(
        "Recht op vergetelheid: verwijdert de koppeling tussen alle contactmomenten van de eigen "
        "organisatie (ook verwijderde) en deze `inwonerReferentie`. De contactmomenten zelf blijven "
        "anoniem meetellen; alleen het unieke bereik verliest deze inwoner. De referentie wordt niet "
        "opgeslagen en niet in de audittrail vastgelegd."
    ),
)
def vergeet_inwoner(
    body: VergeetVerzoek, caller: RegistrerenDep, session: SessionDep
) -> VergeetResultaat:
    aantal = service.vergeet(session, caller=caller, referentie=body.inwoner_referentie)
    return VergeetResultaat(aantal_contactmomenten=aantal)
