"""Health resource for load balancers and monitoring."""

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app import __version__
from app.core import db
from app.core.config import get_settings
from app.core.errors import DienstNietBeschikbaar
from app.core.storingen import KORT
from app.status import migraties
from app.status.migraties import Migratiestand

router = APIRouter(tags=["status"])


class Status(BaseModel):
    status: Literal["ok"] = Field(description="`ok` als de dienst, de database en de schijf bruikbaar zijn.", examples=["ok"])
    versie: str = Field(description="Versie van de API (semver).", examples=[__version__])
    database: Literal["bereikbaar"] = Field(description="`bereikbaar`; anders antwoordt de dienst met 503.", examples=["bereikbaar"])
    schijf: Literal["beschikbaar"] = Field(
        description="`beschikbaar`; bij een volle of alleen-lezen schijf antwoordt de dienst met 503.",
        examples=["beschikbaar"],
    )


def _mappen(engine: Engine) -> list[Path]:
    """The folders the service writes to: the SQLite database's and the upload folder."""
    from app.imports.taken import uploadmap

    mappen = [uploadmap()]
    url = make_url(str(engine.url))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        mappen.append(Path(url.database.removeprefix("file:")).resolve().parent)
    return mappen


def _schijf(engine: Engine) -> str | None:
    """What is wrong with the disk, or None. Read-only and full are both outages for a writing service."""
    url = make_url(str(engine.url))
    if url.get_backend_name() == "sqlite" and url.query.get("mode") == "ro":
        return "De database is alleen-lezen geopend."
    minimum = get_settings().min_vrije_schijf_mb * 1_048_576
    for map_ in _mappen(engine):
        if os.statvfs(map_).f_flag & os.ST_RDONLY or not os.access(map_, os.W_OK):
            return f"De schijf van {map_.name or map_} is alleen-lezen."
        if shutil.disk_usage(map_).free < minimum:
            return f"De schijf van {map_.name or map_} is (bijna) vol."
    if url.get_backend_name() == "sqlite" and url.database:
        bestand = Path(url.database.removeprefix("file:"))
        if bestand.exists() and not os.access(bestand, os.W_OK):
            return "Het databasebestand is alleen-lezen."
    return None


def _controleer_database(connection: Connection) -> None:
    """Raise 503 when the database refuses writes (a standby, or set read-only)."""
    if connection.dialect.name == "postgresql":
        # A standby (or a database set read-only) answers SELECT 1, but refuses every write.
        alleen_lezen = connection.execute(text("SHOW transaction_read_only")).scalar() == "on"
    else:
        connection.execute(text("SELECT 1"))
        alleen_lezen = False
    if alleen_lezen:
        raise DienstNietBeschikbaar("De database is alleen-lezen.", headers={"Retry-After": "30"})


def _controleer(engine: Engine, *verder: Callable[[Connection], None]) -> None:
    """Database reachable and writable (plus any further checks on the same connection), then the disk."""
    try:
        with engine.connect() as connection:
            _controleer_database(connection)
            for controle in verder:
                controle(connection)
    except DienstNietBeschikbaar:
        raise
    except PoolTimeout as exc:
        raise DienstNietBeschikbaar(
            "Alle databaseverbindingen van de dienst zijn bezet.", headers={"Retry-After": str(KORT)}
        ) from exc
    except Exception as exc:  # any other failure means: not reachable
        raise DienstNietBeschikbaar("De database is niet bereikbaar.", headers={"Retry-After": "30"}) from exc
    probleem = _schijf(engine)
    if probleem is not None:
        raise DienstNietBeschikbaar(probleem, headers={"Retry-After": "30"})


@router.get("/status", response_model=Status, summary="Status van de dienst",
    description=(
        "Geeft aan of de dienst draait, de database bereikbaar en schrijfbaar is en de schijf ruimte heeft; "
        "zonder authenticatie. Voor een orchestrator zijn er `/status/live` en `/status/ready`."
    ),
    responses={503: {"description": "De database is niet bereikbaar of alleen-lezen, of de schijf is vol."}},
)
def get_status() -> Status:
    _controleer(db.get_engine())
    return Status(status="ok", versie=__version__, database="bereikbaar", schijf="beschikbaar")


class Levend(BaseModel):
    status: str = Field(description="Altijd `ok`: het proces draait en antwoordt.", examples=["ok"])
    versie: str = Field(description="Versie van de API (semver).", examples=[__version__])


@router.get("/status/live", response_model=Levend, summary="Draait het proces (liveness)",
    description=(
        "Antwoordt zodra het proces verzoeken aanneemt, zonder de database te raadplegen: een orchestrator "
        "herstart de dienst alleen als dit uitblijft (liveness probe). Zonder authenticatie."
    ),
)
async def get_status_live() -> Levend:
    # Async and without I/O: it answers on the event loop, also while every thread-pool thread is busy.
    return Levend(status="ok", versie=__version__)


class Gereed(Status):
    migraties: Migratiestand = Field(
        description=(
            "`actueel`: het databaseschema staat op de nieuwste migratie van deze versie; `nieuwer`: de database is al "
            "gemigreerd voor een volgende versie (tijdens een upgrade dient deze versie nog, zie de README). Staat "
            "het schema achter, dan antwoordt de dienst met 503."
        ),
        examples=["actueel"],
    )


@router.get("/status/ready", response_model=Gereed, summary="Kan de dienst verzoeken aan (readiness)",
    description=(
        "Geeft aan of deze instantie verkeer kan krijgen: de database is bereikbaar en schrijfbaar, haar schema staat "
        "op de migraties van deze versie (of nieuwer) en de schijf heeft ruimte. Een loadbalancer stuurt geen "
        "verkeer naar een instantie die 503 antwoordt (readiness probe). Zonder authenticatie."
    ),
    responses={503: {"description": (
        "De database is niet bereikbaar of alleen-lezen, de migraties van deze versie zijn nog niet uitgevoerd, "
        "of de schijf is vol."
    )}},
)
def get_status_ready() -> Gereed:
    stand: list[Migratiestand] = []
    _controleer(db.get_engine(), lambda connection: stand.append(migraties.controleer(connection)))
    return Gereed(status="ok", versie=__version__, database="bereikbaar", schijf="beschikbaar", migraties=stand[0])
