"""A webhook stored directly (for tenancy walks over the route table)."""

from typing import Any

from sqlmodel import Session

from app.models import Organisatie, Webhook


def make_webhook(session: Session, organisatie: Organisatie, **overrides: Any) -> Webhook:
    values: dict[str, Any] = {"organisatie_id": organisatie.id, "url": "https://ontvanger.example.nl/hook",
                              "geheim_zout": "00" * 16}
    webhook = Webhook(**(values | overrides))
    session.add(webhook)
    session.flush()
    return webhook
