"""Loader for one referral of the caller's organisation (404 otherwise, also when its contactmoment was deleted)."""

from app.doorverwijzingen import service
from app.models import Doorverwijzing
from app.toegang.scoping import loader

DoorverwijzingDep = loader(
    Doorverwijzing,
    lambda session, caller, record_id: service.get(session, caller=caller, doorverwijzing_id=record_id),
    pad="doorverwijzingId",
    omschrijving="Identificatie van de doorverwijzing.",
    voorbeeld="0b9d3c1e-2f4a-4e5b-8c6d-7e8f9a0b1c2d",
)
