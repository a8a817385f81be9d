"""Loader for one goal of the caller (404 otherwise, also another organisation's or a deleted one)."""

from app.doelstellingen import service
from app.models import Doelstelling
from app.toegang.scoping import loader

DoelstellingDep = loader(
    Doelstelling,
    lambda session, caller, record_id: service.get(session, caller=caller, doelstelling_id=record_id),
    pad="doelstellingId",
    omschrijving="Identificatie van de doelstelling.",
    voorbeeld="0b6f3e2a-1c4d-4e5f-9a8b-7c6d5e4f3a2b",
)
