"""kinderen_dragen_contact: topic and referral rows carry their contact's date, gemeente, organisation
and key person, so the indicator queries read them from one covering index without the join

Issue 29, item 3. Regional and national help-question and referral figures joined every topic or
referral row to its contactmoment for the date, gemeente and deletion mark; at 10M contacts those
random look-ups dominated (docs/performance.md, "Indicator queries at 1M/10M"). Each topic row
(`contactmoment_onderwerp`) and referral (`doorverwijzing`) now holds a copy of its contact's
`datum`, `gemeentecode`, `organisatie_id` (referrals already had it), `sleutelpersoon_id` and
`verwijderd_op`, under the prefix `contact_`. A covering index on contactmoment answers an
organisation's reach (distinct residents) per key person without reading the table.

The copies are never stale: they are maintained by the database in the same statement as the write.
- A child row inserted without them (`contact_datum` NULL) gets them from its contact (PostgreSQL:
  a BEFORE INSERT trigger; SQLite: an AFTER INSERT trigger that updates the new row). A writer that
  already knows them (the bulk import, `app.contactmomenten.afgeleid.afgeleide_kolommen`) sends them
  and the trigger does nothing.
- An UPDATE of one of the copied columns of a contactmoment (a correction, a soft delete) updates
  its children in the same statement.

SQLite caveat: Alembic's batch mode copies a table and so drops its triggers. A later migration
that uses `batch_alter_table` on contactmoment, contactmoment_onderwerp or doorverwijzing must
re-create them (`maak_triggers`); tests/indicatoren/test_afgeleid.py fails if they are missing.

Revision ID: 0032
Revises: 0027
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import UtcDateTime

revision: str = '0032'
down_revision: str | None = '0031'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copied column of the child -> column of contactmoment, per child table.
KOPIEEN = {
    "contactmoment_onderwerp": {
        "contact_datum": "datum", "contact_gemeentecode": "gemeentecode", "contact_organisatie_id": "organisatie_id",
        "contact_sleutelpersoon_id": "sleutelpersoon_id", "contact_verwijderd_op": "verwijderd_op",
    },
    "doorverwijzing": {
        "contact_datum": "datum", "contact_gemeentecode": "gemeentecode",
        "contact_sleutelpersoon_id": "sleutelpersoon_id", "contact_verwijderd_op": "verwijderd_op",
    },
}
LEVEND = sa.text("contact_verwijderd_op IS NULL")
EINDSTATUS = sa.text("contact_verwijderd_op IS NULL AND status IN ('afgerond', 'afgewezen', 'niet-verschenen')")
# Covering indexes of the live rows: regional (gemeente first), national (date first), an organisation's own.
# The deletion mark is also the last column (always NULL in them): SQLite counts an index as covering only
# when it holds every column the query names, the partial index's own condition included.
INDEXEN = {
    "contactmoment_onderwerp": [
        ("ix_contactmoment_onderwerp_gemeente_periode",
         ["contact_gemeentecode", "contact_datum", "onderwerp", "record_key", "contact_sleutelpersoon_id",
          "contact_verwijderd_op"], LEVEND),
        ("ix_contactmoment_onderwerp_periode",
         ["contact_datum", "onderwerp", "record_key", "contact_sleutelpersoon_id", "contact_verwijderd_op"], LEVEND),
        ("ix_contactmoment_onderwerp_organisatie_periode",
         ["contact_organisatie_id", "contact_datum", "onderwerp", "record_key", "contact_sleutelpersoon_id",
          "contact_verwijderd_op"], LEVEND),
    ],
    "doorverwijzing": [
        ("ix_doorverwijzing_gemeente_periode",
         ["contact_gemeentecode", "contact_datum", "status", "ketenpartner_id", "record_key",
          "contact_sleutelpersoon_id", "contact_verwijderd_op"], LEVEND),
        ("ix_doorverwijzing_periode_eindstatus",
         ["contact_datum", "ketenpartner_id", "status", "record_key", "contact_sleutelpersoon_id",
          "contact_verwijderd_op"], EINDSTATUS),
        ("ix_doorverwijzing_organisatie_periode",
         ["organisatie_id", "contact_datum", "status", "ketenpartner_id", "record_key", "contact_sleutelpersoon_id",
          "contact_verwijderd_op"], LEVEND),
    ],
}
TYPEN = {
    "contact_datum": sa.Date(), "contact_gemeentecode": sa.String(length=6), "contact_organisatie_id": sa.Uuid(),
    "contact_sleutelpersoon_id": sa.Uuid(), "contact_verwijderd_op": UtcDateTime(),
}


def maak_triggers() -> None:
    """The triggers that keep the copies equal to the contact (see the module docstring)."""
    if op.get_bind().dialect.name == "postgresql":
        for tabel, kopie in KOPIEEN.items():
            doelen = ", ".join(f"NEW.{k}" for k in kopie)
            bronnen = ", ".join(kopie.values())
            op.execute(f"""
                CREATE OR REPLACE FUNCTION {tabel}_contact_vullen() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    SELECT {bronnen} INTO {doelen} FROM contactmoment WHERE id = NEW.contactmoment_id;
                    RETURN NEW;
                END $$""")
            op.execute(f"""
                CREATE TRIGGER {tabel}_contact_vullen BEFORE INSERT ON {tabel}
                FOR EACH ROW WHEN (NEW.contact_datum IS NULL) EXECUTE FUNCTION {tabel}_contact_vullen()""")
        sets = {
            tabel: ", ".join(f"{k} = NEW.{v}" for k, v in kopie.items()) for tabel, kopie in KOPIEEN.items()
        }
        op.execute(f"""
            CREATE OR REPLACE FUNCTION contactmoment_kinderen_bijwerken() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE contactmoment_onderwerp SET {sets['contactmoment_onderwerp']} WHERE contactmoment_id = NEW.id;
                UPDATE doorverwijzing SET {sets['doorverwijzing']} WHERE contactmoment_id = NEW.id;
                RETURN NULL;
            END $$""")
        op.execute("""
            CREATE TRIGGER contactmoment_kinderen_bijwerken
            AFTER UPDATE OF datum, gemeentecode, organisatie_id, sleutelpersoon_id, verwijderd_op ON contactmoment
            FOR EACH ROW WHEN (
                OLD.datum IS DISTINCT FROM NEW.datum OR OLD.gemeentecode IS DISTINCT FROM NEW.gemeentecode
                OR OLD.organisatie_id IS DISTINCT FROM NEW.organisatie_id
                OR OLD.sleutelpersoon_id IS DISTINCT FROM NEW.sleutelpersoon_id
                OR OLD.verwijderd_op IS DISTINCT FROM NEW.verwijderd_op
            ) EXECUTE FUNCTION contactmoment_kinderen_bijwerken()""")
        return
    for tabel, kopie in KOPIEEN.items():
        op.execute(f"""
            CREATE TRIGGER {tabel}_contact_vullen AFTER INSERT ON {tabel}
            FOR EACH ROW WHEN NEW.contact_datum IS NULL BEGIN
                UPDATE {tabel} SET ({', '.join(kopie)}) =
                    (SELECT {', '.join(kopie.values())} FROM contactmoment WHERE id = NEW.contactmoment_id)
                WHERE rowid = NEW.rowid;
            END""")
    updates = "\n".join(
        f"UPDATE {tabel} SET ({', '.join(kopie)}) = ({', '.join('NEW.' + v for v in kopie.values())}) "
        "WHERE contactmoment_id = NEW.id;"
        for tabel, kopie in KOPIEEN.items()
    )
    op.execute(f"""
        CREATE TRIGGER contactmoment_kinderen_bijwerken
        AFTER UPDATE OF datum, gemeentecode, organisatie_id, sleutelpersoon_id, verwijderd_op ON contactmoment
        FOR EACH ROW WHEN
            OLD.datum IS NOT NEW.datum OR OLD.gemeentecode IS NOT NEW.gemeentecode
            OR OLD.organisatie_id IS NOT NEW.organisatie_id OR OLD.sleutelpersoon_id IS NOT NEW.sleutelpersoon_id
            OR OLD.verwijderd_op IS NOT NEW.verwijderd_op
        BEGIN
            {updates}
        END""")


def verwijder_triggers() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for tabel in KOPIEEN:
        op.execute(f"DROP TRIGGER IF EXISTS {tabel}_contact_vullen" + (f" ON {tabel}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS {tabel}_contact_vullen()")
    op.execute("DROP TRIGGER IF EXISTS contactmoment_kinderen_bijwerken" + (" ON contactmoment" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS contactmoment_kinderen_bijwerken()")


# An organisation's own reach per key person (count of distinct residents) from the index alone.
BEREIK = ("ix_contactmoment_organisatie_bereik", ["organisatie_id", "datum", "soort", "sleutelpersoon_id", "inwoner_hash",
                                                     "verwijderd_op"])
LEVEND_CONTACT = sa.text("verwijderd_op IS NULL")


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_index(BEREIK[0], "contactmoment", BEREIK[1], unique=False, postgresql_where=LEVEND_CONTACT,
                    sqlite_where=LEVEND_CONTACT)
    for tabel, kopie in KOPIEEN.items():
        for kolom in kopie:  # nullable, no default: SQLite adds them in place, without copying the table
            op.add_column(tabel, sa.Column(kolom, TYPEN[kolom], nullable=True))
        # Existing rows: one statement per table.
        if postgresql:
            op.execute(f"UPDATE {tabel} AS t SET ({', '.join(kopie)}) = ({', '.join('c.' + v for v in kopie.values())}) "
                       "FROM contactmoment AS c WHERE c.id = t.contactmoment_id")
        else:
            op.execute(f"UPDATE {tabel} SET ({', '.join(kopie)}) = (SELECT {', '.join(kopie.values())} "
                       f"FROM contactmoment AS c WHERE c.id = {tabel}.contactmoment_id)")
        for naam, kolommen, waar in INDEXEN[tabel]:
            op.create_index(naam, tabel, kolommen, unique=False, postgresql_where=waar, sqlite_where=waar)
    maak_triggers()


def downgrade() -> None:
    verwijder_triggers()
    for tabel, kopie in reversed(KOPIEEN.items()):
        for naam, _, waar in INDEXEN[tabel]:
            op.drop_index(naam, table_name=tabel, postgresql_where=waar, sqlite_where=waar)
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            for kolom in reversed(kopie):
                batch_op.drop_column(kolom)
    op.drop_index(BEREIK[0], table_name="contactmoment", postgresql_where=LEVEND_CONTACT, sqlite_where=LEVEND_CONTACT)
