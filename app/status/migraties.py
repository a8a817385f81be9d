"""Readiness: is the database schema at the migrations this version of the code was written for?

The database's revision (alembic_version) is compared with the head of the migration scripts this
version ships. Behind the head: the new version was started before `sleutelmonitor migrate`; the
instance is not ready (503), so it gets no traffic until the migrations ran. A revision the scripts
do not know is one of a newer version: during a rolling upgrade the migrations run first, while the
previous version still serves (README, "Running in production"); that version stays ready, which is
safe because every migration keeps the previous version working.
"""

import logging
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import Connection

from app.core.errors import DienstNietBeschikbaar

logger = logging.getLogger(__name__)


class Migratiestand(StrEnum):
    actueel = "actueel"
    nieuwer = "nieuwer"


@lru_cache
def _scripts() -> tuple[frozenset[str], frozenset[str]]:
    """The heads and all revisions of the migration scripts this version ships (read once per process)."""
    from alembic.script import ScriptDirectory

    from app.cli import _alembic_config  # one place says where the migrations are

    script = ScriptDirectory.from_config(_alembic_config())
    return frozenset(script.get_heads()), frozenset(r.revision for r in script.walk_revisions())


def controleer(connection: Connection) -> Migratiestand:
    """The schema's state against this version's migrations; 503 when it is behind or not migrated at all."""
    from alembic.runtime.migration import MigrationContext

    try:
        koppen, bekend = _scripts()
    except Exception as exc:  # an installation without its migrations: say so, not "unreachable"
        logger.exception("The migration scripts of this version could not be read")
        raise DienstNietBeschikbaar(
            "De migraties van deze versie zijn niet gevonden; de installatie is onvolledig.", headers={"Retry-After": "300"}
        ) from exc
    huidig = frozenset(MigrationContext.configure(connection).get_current_heads())
    if huidig == koppen:
        return Migratiestand.actueel
    if huidig and not huidig & bekend:
        return Migratiestand.nieuwer
    staat = ", ".join(sorted(huidig)) or "geen migraties"
    raise DienstNietBeschikbaar(
        f"Het databaseschema staat op {staat}; deze versie verwacht {', '.join(sorted(koppen))}. "
        "Voer eerst `sleutelmonitor migrate` uit.",
        headers={"Retry-After": "30"},
    )
