"""Loader for one inzet of the caller (404 otherwise, also another organisation's or a deleted one)."""

from app.inzet import service
from app.models import Inzet
from app.toegang.scoping import loader

InzetDep = loader(
    Inzet,
    lambda session, caller, record_id: service.get(session, caller=caller, inzet_id=record_id),
    pad="inzetId",
    omschrijving="Identificatie van de inzet.",
    voorbeeld="5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
)
