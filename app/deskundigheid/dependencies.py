"""Loader for one training record of the caller's organisation (404 otherwise, also a deleted one)."""

from app.deskundigheid import service
from app.models import Deskundigheidsbevordering
from app.toegang.scoping import loader

DeskundigheidDep = loader(
    Deskundigheidsbevordering,
    lambda session, caller, record_id: service.get(session, caller=caller, deskundigheid_id=record_id),
    pad="deskundigheidId",
    omschrijving="Identificatie van de training of intervisiebijeenkomst.",
    voorbeeld="3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
)
