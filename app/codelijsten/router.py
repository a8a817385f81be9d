"""Code lists: read by every key, extended and (de)activated by administrators."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from app.codelijsten import service
from app.codelijsten.schemas import CodeCreate, Codelijst, CodePublic, CodeUpdate
from app.core import versies
from app.core.db import SessionDep
from app.core.errors import OngeldigeInvoer
from app.core.openapi import location
from app.toegang.dependencies import BeherenDep, CallerOfApparaatDep

router = APIRouter(tags=["codelijsten"])

# The lists are fixed, so they are in the document; an unknown one is still a 404.
LijstPad = Annotated[str, Path(description="Naam van de codelijst.", examples=["onderwerp"],
                               json_schema_extra={"enum": sorted(service.LIJSTEN)})]
CodePad = Annotated[str, Path(description="De code binnen de lijst.", examples=["geld.toeslagen"],
                              json_schema_extra={"maxLength": 80})]
ActiefFilter = Annotated[
    bool | None,
    Query(description="Alleen actieve (`true`) of alleen gedeactiveerde (`false`) codes; zonder filter alle.", examples=[True]),
]


@router.get("/codelijsten", summary="Alle codelijsten")
def list_codelijsten(session: SessionDep, caller: CallerOfApparaatDep) -> list[Codelijst]:
    """De codelijsten die de dienst kent, met het aantal codes per lijst. Leesbaar voor elke geldige sleutel."""
    return [
        Codelijst(naam=naam, omschrijving=omschrijving, hierarchisch=naam in service.HIERARCHISCH,
                  aantal=aantal, aantal_actief=actief)
        for naam, omschrijving, aantal, actief in service.overzicht(session)
    ]


@router.get("/codelijsten/{lijst}", summary="Codes van een codelijst")
def list_codes(lijst: LijstPad, session: SessionDep, caller: CallerOfApparaatDep, actief: ActiefFilter = None) -> list[CodePublic]:
    """Alle codes van één lijst in weergavevolgorde (niet gepagineerd: codelijsten zijn klein)."""
    return [CodePublic.model_validate(c) for c in service.list_codes(session, lijst=lijst, actief=actief)]


@router.get("/codelijsten/{lijst}/{code}", summary="Eén code")
def get_code(lijst: LijstPad, code: CodePad, session: SessionDep, caller: CallerOfApparaatDep, response: Response) -> CodePublic:
    """Eén code uit een codelijst, ook als die gedeactiveerd is."""
    return versies.met_etag(response, CodePublic.model_validate(service.get_code(session, lijst=lijst, code=code)))


@router.post("/codelijsten/{lijst}", status_code=status.HTTP_201_CREATED, summary="Code toevoegen",
             responses={409: {"description": "De code bestaat al in deze lijst (`code`, `lijst`)."}})
def create_code(
    lijst: LijstPad, body: CodeCreate, session: SessionDep, caller: BeherenDep, response: Response
) -> CodePublic:
    """Voeg een code toe aan een lijst. Een bestaande code (ook een gedeactiveerde) geeft 409."""
    entry = service.add_code(
        session, caller=caller, lijst=lijst, code=body.code, label=body.label,
        synoniemen=body.synoniemen, volgorde=body.volgorde,
    )
    response.headers["Location"] = location("codelijsten", lijst, entry.code)
    return CodePublic.model_validate(entry)


@router.patch("/codelijsten/{lijst}/{code}", summary="Code wijzigen of (de)activeren",
              responses={409: {"description": "Een hoofdcode met actieve subcodes (`actieveSubcodes`), of een subcode onder een gedeactiveerde hoofdcode (`ouder`)."}})
def update_code(
    lijst: LijstPad, code: CodePad, body: CodeUpdate, session: SessionDep, caller: BeherenDep, response: Response, if_match: versies.IfMatchDep = None
) -> CodePublic:
    """Wijzig label, synoniemen of volgorde, of (de)activeer een code. De code zelf verandert nooit.

    Een gedeactiveerde code blijft geldig op bestaande registraties, maar wordt op nieuwe geweigerd. Met
    `If-Match` geeft een intussen gewijzigde code 412.
    """
    if if_match is not None:
        huidig = service.get_code(session, lijst=lijst, code=code)
        versies.vergrendel(session, huidig)
        versies.controleer(if_match, CodePublic.model_validate(huidig))
    entry = service.update_code(session, caller=caller, lijst=lijst, code=code, changes=body.model_dump(exclude_unset=True))
    return versies.met_etag(response, CodePublic.model_validate(entry))


@router.get("/onderwerpen", summary="Onderwerpen")
def list_onderwerpen(
    session: SessionDep,
    caller: CallerOfApparaatDep,
    hoofdonderwerp: Annotated[
        str | None,
        Query(description="Alleen dit hoofdonderwerp en zijn subonderwerpen.", examples=["geld"]),
    ] = None,
    actief: ActiefFilter = None,
) -> list[CodePublic]:
    """De hiërarchische onderwerpenlijst; gelijk aan `/codelijsten/onderwerp`."""
    if hoofdonderwerp is not None:
        parent = service.lookup(session, lijst=service.ONDERWERP).get(hoofdonderwerp)
        if parent is None or parent.ouder is not None:
            raise OngeldigeInvoer.veld("hoofdonderwerp", f"`{hoofdonderwerp}` is geen hoofdonderwerp.")
    entries = service.list_codes(session, lijst=service.ONDERWERP, actief=actief, hoofdonderwerp=hoofdonderwerp)
    return [CodePublic.model_validate(c) for c in entries]
