"""Loader for one contactmoment of the caller's organisation (404 otherwise, also when soft-deleted)."""

from app.contactmomenten import service
from app.models import Contactmoment
from app.toegang.scoping import loader

ContactmomentDep = loader(
    Contactmoment,
    lambda session, caller, record_id: service.get(session, caller=caller, contactmoment_id=record_id),
    pad="contactmomentId",
    omschrijving="Identificatie van het contactmoment.",
    voorbeeld="3fa85f64-5717-4562-b3fc-2c963f66afa6",
)
