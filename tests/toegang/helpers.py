"""Small helpers shared by the access tests."""

from sqlmodel import Session, select

from app.models import ApiSleutel
from tests.factories import make_key


def admin_key(session: Session) -> dict[str, str]:
    return make_key(session, beheer=True, scopes=("beheren",))


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def key_of(session: Session, headers: dict[str, str]) -> ApiSleutel:
    """The stored key behind request headers made by make_key."""
    prefix = "_".join(token_of(headers).split("_")[:2])
    return session.exec(select(ApiSleutel).where(ApiSleutel.prefix == prefix)).one()


def invalid_names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(p["name"] for p in response.json()["invalidParams"])
