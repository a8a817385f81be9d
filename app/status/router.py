"""Health resource for load balancers and monitoring."""

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import text

from app import __version__
from app.core.db import get_engine
from app.core.errors import DienstNietBeschikbaar

router = APIRouter(tags=["status"])


class Status(BaseModel):
    status: str = Field(description="`ok` als de dienst en de database bereikbaar zijn.", examples=["ok"])
    versie: str = Field(description="Versie van de API (semver).", examples=[__version__])
    database: str = Field(description="`bereikbaar`; anders antwoordt de dienst met 503.", examples=["bereikbaar"])


@router.get("/status", response_model=Status, summary="Status van de dienst",
    description="Geeft aan of de dienst draait en de database bereikbaar is; zonder authenticatie.",
    responses={503: {"description": "De database is niet bereikbaar."}},
)
def get_status() -> Status:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means: not reachable
        raise DienstNietBeschikbaar("De database is niet bereikbaar.") from exc
    return Status(status="ok", versie=__version__, database="bereikbaar")
