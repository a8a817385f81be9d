"""Assertions and counts shared by the tests (builders of data live in tests/factories.py)."""

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import (
    AuditRegel,
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    DoorverwijzingStatus,
    Uitkomst,
)


def assert_problem(response: Any, status: int, title: str | None = None, names: list[str] | None = None) -> dict[str, Any]:
    """Assert a problem+json response with this status (and title; and invalidParams names, in order)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if title is not None:
        assert body["title"] == title
    if names is not None:
        assert [p["name"] for p in body["invalidParams"]] == names
    return body


def assert_400(response: Any, names: list[str] | set[str]) -> dict[str, str]:
    """Assert an Ongeldige invoer problem naming exactly these fields (in any order); return reasons by name."""
    body = assert_problem(response, 400, "Ongeldige invoer")
    assert sorted(p["name"] for p in body["invalidParams"]) == sorted(names), body["invalidParams"]
    return {p["name"]: p["reason"] for p in body["invalidParams"]}


TABELLEN = (
    Contactmoment,
    ContactmomentOnderwerp,
    ContactmomentActie,
    Doorverwijzing,
    DoorverwijzingStatus,
    Uitkomst,
    AuditRegel,
)


def tel_rijen(session: Session) -> dict[str, int]:
    """Row counts of every table a registration writes to."""
    return {
        m.__tablename__: session.exec(select(func.count()).select_from(m)).one() for m in TABELLEN
    }  # type: ignore[attr-defined]


def audit_regels(session: Session, **where: Any) -> list[AuditRegel]:
    statement = select(AuditRegel)
    for key, value in where.items():
        statement = statement.where(getattr(AuditRegel, key) == value)
    return list(session.exec(statement.order_by(AuditRegel.id)))


def namen(response: Any) -> set[str]:
    """The invalidParams names of a problem response."""
    return {p["name"] for p in response.json().get("invalidParams", [])}


def zonder_code(params: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`invalidParams` without their `code`, for tests about names and reasons; every item must have one."""
    assert all(p.get("code") for p in params), params
    return [{k: v for k, v in p.items() if k != "code"} for p in params]
