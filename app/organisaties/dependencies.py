"""Who may read which organisation, and loaders that fetch one or answer 404."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from app.core.db import SessionDep
from app.core.errors import GeenToegang, NietGevonden
from app.models import Organisatie
from app.organisaties import service
from app.toegang.caller import Binding, Caller, Scope
from app.toegang.dependencies import BeherenDep, CallerDep

OrganisatieIdPad = Annotated[
    uuid.UUID,
    Path(
        alias="organisatieId",
        description="Identificatie van de organisatie.",
        examples=["0b6e8a4e-2f6c-4d8e-9a51-3f7c2d1e9b10"],
    ),
]


def organisatie_lezer(caller: CallerDep) -> Caller:
    """Administrators (scope beheren) and organisation keys (any scope) may read organisations."""
    if caller.binding is Binding.regio:
        raise GeenToegang(
            "Een rapportagesleutel geeft geen toegang tot organisaties; "
            "gebruik een sleutel van een organisatie of een beheersleutel."
        )
    if caller.binding is Binding.beheer and not caller.has(Scope.beheren):
        raise GeenToegang(f"Deze API-sleutel mist de scope `{Scope.beheren.value}`.")
    return caller


OrganisatieLezerDep = Annotated[Caller, Depends(organisatie_lezer)]


def leesbare_organisatie(
    organisatie_id: OrganisatieIdPad, caller: OrganisatieLezerDep, session: SessionDep
) -> Organisatie:
    """The organisation, if the caller may read it; another organisation's id answers 404, not 403."""
    if caller.binding is Binding.organisatie and caller.organisatie_id != organisatie_id:
        raise NietGevonden(f"Organisatie {organisatie_id} bestaat niet.")
    return service.get_organisatie(session, organisatie_id=organisatie_id)


def beheerde_organisatie(
    organisatie_id: OrganisatieIdPad, _caller: BeherenDep, session: SessionDep
) -> Organisatie:
    """The organisation an administrator is about to change, or 404."""
    return service.get_organisatie(session, organisatie_id=organisatie_id)


LeesbareOrganisatieDep = Annotated[Organisatie, Depends(leesbare_organisatie)]
BeheerdeOrganisatieDep = Annotated[Organisatie, Depends(beheerde_organisatie)]
