import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Index, LargeBinary
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field, uuid_pk


class ImportUpload(SQLModel, table=True):
    """An uploaded log waiting for its job or a dashboard dry run, stored so every instance can read it.

    The bytes are in `import_upload_blok` (blocks of a few MB, zlib-compressed unless the format is
    already compressed), so neither writing nor reading needs the whole file in memory (app/imports/opslag.py).
    """

    __tablename__ = "import_upload"
    __table_args__ = (Index("ix_import_upload_aangemaakt_op", "aangemaakt_op"),)

    id: uuid.UUID = uuid_pk()
    organisatie_id: uuid.UUID = Field(foreign_key="organisatie.id", index=True)
    # taak (referred to by a waiting or running job) or proefdraai (kept a day for the dashboard's real run)
    soort: str = Field(max_length=20)
    formaat: str = Field(max_length=10)
    # zlib, or none (an xlsx is a zip already)
    compressie: str = Field(max_length=10)
    grootte: int = Field(default=0, sa_type=BigInteger)  # bytes as uploaded
    opgeslagen: int = Field(default=0, sa_type=BigInteger)  # bytes as stored
    aangemaakt_op: datetime = timestamp_field()


class ImportUploadBlok(SQLModel, table=True):
    """One block of an upload's bytes; removed with its upload."""

    __tablename__ = "import_upload_blok"

    upload_id: uuid.UUID = Field(foreign_key="import_upload.id", primary_key=True, ondelete="CASCADE")
    volgnummer: int = Field(primary_key=True)
    inhoud: bytes = Field(sa_type=LargeBinary)


class RateLimitTeller(SQLModel, table=True):
    """Requests of one key (or device) in one minute, counted where every instance sees them (PostgreSQL).

    UNLOGGED on PostgreSQL (see migration 0034): a crash may lose the counts of the current minute,
    which costs nothing a rate limit protects. No foreign key: a key made in a transaction not yet
    committed (the tests) is counted too, and a count outlives nothing but its minute.
    """

    __tablename__ = "rate_limit_teller"
    __table_args__ = (Index("ix_rate_limit_teller_venster", "venster"),)

    sleutel: uuid.UUID = Field(primary_key=True)
    venster: int = Field(primary_key=True, sa_type=BigInteger)  # minutes since the epoch
    aantal: int = 0
