"""Loaders for one evaluation or one decision of the caller (404 otherwise, also another organisation's)."""

from app.evaluaties import besluiten, service
from app.models import Besluit, Evaluatie
from app.toegang.scoping import loader

EvaluatieDep = loader(
    Evaluatie,
    lambda session, caller, record_id: service.get(session, caller=caller, evaluatie_id=record_id),
    pad="evaluatieId",
    omschrijving="Identificatie van de evaluatie.",
    voorbeeld="6c5d4e3f-2a1b-4c9d-8e7f-6a5b4c3d2e1f",
)

BesluitDep = loader(
    Besluit,
    lambda session, caller, record_id: besluiten.get(session, caller=caller, besluit_id=record_id),
    pad="besluitId",
    omschrijving="Identificatie van het besluit.",
    voorbeeld="3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b",
)
