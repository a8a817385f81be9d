"""Health resource for load balancers and monitoring."""

import os
import shutil
from pathlib import Path
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app import __version__
from app.core import db
from app.core.config import get_settings
from app.core.errors import DienstNietBeschikbaar
from app.core.storingen import KORT

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


@router.get("/status", response_model=Status, summary="Status van de dienst",
    description=(
        "Geeft aan of de dienst draait, de database bereikbaar en schrijfbaar is en de schijf ruimte heeft; "
        "zonder authenticatie."
    ),
    responses={503: {"description": "De database is niet bereikbaar of alleen-lezen, of de schijf is vol."}},
)
def get_status() -> Status:
    engine = db.get_engine()
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                # A standby (or a database set read-only) answers SELECT 1, but refuses every write.
                alleen_lezen = connection.execute(text("SHOW transaction_read_only")).scalar() == "on"
            else:
                connection.execute(text("SELECT 1"))
                alleen_lezen = False
    except PoolTimeout as exc:
        raise DienstNietBeschikbaar(
            "Alle databaseverbindingen van de dienst zijn bezet.", headers={"Retry-After": str(KORT)}
        ) from exc
    except Exception as exc:  # any other failure means: not reachable
        raise DienstNietBeschikbaar("De database is niet bereikbaar.", headers={"Retry-After": "30"}) from exc
    if alleen_lezen:
        raise DienstNietBeschikbaar("De database is alleen-lezen.", headers={"Retry-After": "30"})
    probleem = _schijf(engine)
    if probleem is not None:
        raise DienstNietBeschikbaar(probleem, headers={"Retry-After": "30"})
    return Status(status="ok", versie=__version__, database="bereikbaar", schijf="beschikbaar")
