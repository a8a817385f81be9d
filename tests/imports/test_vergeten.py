"""Erasure really unlinks: after `_vergeet`, nothing stored depends on the resident's reference.

Before, an imported row without an externId got a key computed over the resident's keyed hash, and
erasure left that key behind: re-importing the file with `proefdraai` reported the erased resident's
contacts `ongewijzigd` and a control reference's `aangemaakt`, so the erased resident could be confirmed.
"""

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text, update
from sqlmodel import Session, SQLModel, select

from app.contactmomenten import inhoud
from app.contactmomenten import service as contactmomenten
from app.core.db import make_engine
from app.inwoners import service as inwoners
from app.models import Contactmoment
from tests.conftest import alembic_config
from tests.imports.helpers import Omgeving, csv_bytes, importeer, maak_omgeving, rij

ERASED, CONTROL = "C001", "C999"


def _bestand(referentie: str) -> bytes:
    """Two contacts of the resident (one twice in the file), and one of someone else, none with an externId."""
    return csv_bytes([
        rij(Cliëntnummer=referentie),
        rij(Cliëntnummer=referentie, Datum="15-3-2025", Onderwerp="Huisvesting"),
        rij(Cliëntnummer="C002"),
        rij(Cliëntnummer=referentie),
    ])


def _momentopname(session: Session) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Every value of every row of every table, without random ids and clock times, rows sorted."""
    session.flush()
    tabellen = []
    for tabel in SQLModel.metadata.sorted_tables:
        kolommen = [k for k in tabel.columns if not (k.primary_key and k.type.python_type is int) and k.name != "record_key"]
        rijen = session.connection().execute(select(*kolommen))
        tabellen.append((tabel.name, sorted(tuple(_waarde(w) for w in r) for r in rijen)))
    return tabellen


UUID_IN_TEKST = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _waarde(waarde: Any) -> str:
    """A value as text; random ids and clock times (different in any two runs, never derived) as a placeholder."""
    if isinstance(waarde, uuid.UUID | datetime):
        return "-"
    if isinstance(waarde, str):
        try:
            uuid.UUID(waarde)
            return "-"
        except ValueError:
            pass
        # A link that holds a random id (an event's `href`, /v1/imports/<id>): the id is random, the rest compared.
        return repr(UUID_IN_TEKST.sub("-", waarde))
    return repr(waarde)


def _scenario(session: Session, omgeving: Omgeving, referentie: str) -> list[tuple[str, list[tuple[str, ...]]]]:
    importeer(session, omgeving, _bestand(referentie))
    assert inwoners.vergeet(session, caller=omgeving.caller, referentie=referentie) == 3
    return _momentopname(session)


def test_after_erasure_no_stored_value_depends_on_the_reference(session: Session, omgeving: Omgeving) -> None:
    opnames = []
    for referentie in (ERASED, CONTROL):
        savepoint = session.begin_nested()
        opnames.append(_scenario(session, omgeving, referentie))
        savepoint.rollback()
    # The same history with another reference for the erased resident leaves exactly the same database.
    assert opnames[0] == opnames[1]
    # The comparison covers the imported records, their children, the run and the audit trail.
    aantallen = {naam: len(rijen) for naam, rijen in opnames[0]}
    assert aantallen["contactmoment"] == 4 and aantallen["import_run"] == 1 and aantallen["audit_regel"] >= 2
    # And it does see a resident hash: the one of C002, who was not erased.
    assert str(opnames[0]).count(repr(inhoud.referentie_hash(organisatie_id=omgeving.organisatie.id, referentie="C002"))) == 1


def test_reimport_no_longer_confirms_an_erased_resident(session: Session, omgeving: Omgeving) -> None:
    importeer(session, omgeving, _bestand(ERASED))
    inwoners.vergeet(session, caller=omgeving.caller, referentie=ERASED)
    erased = importeer(session, omgeving, _bestand(ERASED), proefdraai=True)
    control = importeer(session, omgeving, _bestand(CONTROL), proefdraai=True)
    uitkomst = [(v.aangemaakt, v.ongewijzigd, v.bijgewerkt, v.afgewezen) for v in (erased, control)]
    assert uitkomst == [(0, 4, 0, 0), (0, 4, 0, 0)]


def test_rows_that_differ_only_in_their_resident_stay_separate_and_idempotent(session: Session, omgeving: Omgeving) -> None:
    bestand = csv_bytes([rij(Cliëntnummer="C001"), rij(Cliëntnummer="C002"), rij(Cliëntnummer="C003")])
    assert importeer(session, omgeving, bestand).aangemaakt == 3
    opnieuw = importeer(session, omgeving, bestand)
    assert (opnieuw.aangemaakt, opnieuw.ongewijzigd) == (0, 3)
    hashes = session.exec(select(Contactmoment.inwoner_hash).where(Contactmoment.organisatie_id == omgeving.organisatie.id)).all()
    assert len(set(hashes)) == 3


def _oude_sleutel(session: Session, record: Contactmoment) -> str:
    """The derived key as it was before 0011: over the content with the resident's hash."""
    kinderen = contactmomenten.laad_kinderen(session, ids=[record.id])[record.id]
    gegevens = inhoud.inhoud_van_record(record, kinderen)
    return "import-" + inhoud.inhoud_hash({**gegevens, "externId": None})


def test_migration_rewrites_keys_computed_over_the_resident(fresh_database_url: Callable[[], str]) -> None:
    engine = make_engine(fresh_database_url())
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with Session(engine) as session:
            omgeving = maak_omgeving(session)
            bestand = _bestand(ERASED)
            importeer(session, omgeving, bestand)
            records = list(session.exec(select(Contactmoment).order_by(Contactmoment.datum)))
            # Put the keys back the way the old code wrote them, and erase the way the old code did.
            oud: dict[str, Any] = {}
            for record in records:
                sleutel = _oude_sleutel(session, record)
                oud[str(record.id)] = sleutel if sleutel not in oud.values() else f"{sleutel}-2"
            for record in records:
                session.execute(update(Contactmoment).where(Contactmoment.id == record.id).values(extern_id=f"x-{record.id}"))
            for record in records:
                session.execute(update(Contactmoment).where(Contactmoment.id == record.id).values(extern_id=oud[str(record.id)]))
            session.execute(update(Contactmoment).values(inwoner_hash=None).where(Contactmoment.inwoner_hash == inhoud.referentie_hash(
                organisatie_id=omgeving.organisatie.id, referentie=ERASED)))
            session.commit()

        with engine.begin() as connection:
            config = alembic_config(connection)
            vorige = ScriptDirectory.from_config(config).get_revision("0011").down_revision
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": vorige})
            command.upgrade(config, "0011")

        with Session(engine) as session:
            sleutels = set(session.exec(select(Contactmoment.extern_id)).all())
            assert sleutels.isdisjoint(oud.values())
            # The keys are the ones today's import derives: the same file again changes nothing,
            # and for the erased resident as for a control reference.
            for referentie in (ERASED, CONTROL):
                verslag = importeer(session, omgeving, _bestand(referentie), proefdraai=True)
                assert (verslag.aangemaakt, verslag.ongewijzigd) == (0, 4)
    finally:
        engine.dispose()
