"""Loader for one evaluation of the caller (404 otherwise, also another organisation's)."""

from app.evaluaties import service
from app.models import Evaluatie
from app.toegang.scoping import loader

EvaluatieDep = loader(
    Evaluatie,
    lambda session, caller, record_id: service.get(session, caller=caller, evaluatie_id=record_id),
    pad="evaluatieId",
    omschrijving="Identificatie van de evaluatie.",
    voorbeeld="6c5d4e3f-2a1b-4c9d-8e7f-6a5b4c3d2e1f",
)
