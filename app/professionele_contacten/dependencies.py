"""Loader for one professional contact of the caller (404 otherwise, also another organisation's or a deleted one)."""

from app.models import ProfessioneelContact
from app.professionele_contacten import service
from app.toegang.scoping import loader

ProfessioneelContactDep = loader(
    ProfessioneelContact,
    lambda session, caller, record_id: service.get(session, caller=caller, contact_id=record_id),
    pad="contactId",
    omschrijving="Identificatie van het professionele contact.",
    voorbeeld="5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
)
