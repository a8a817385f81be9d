"""Loader for one live cost of the caller's organisation (404 otherwise)."""

from app.kosten import service
from app.models import Kosten
from app.toegang.scoping import loader

KostenDep = loader(
    Kosten,
    lambda session, caller, record_id: service.get(session, caller=caller, kosten_id=record_id),
    pad="kostenId",
    omschrijving="Identificatie van de kosten.",
    voorbeeld="4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
)
