from sqlmodel import Field, SQLModel

from app.models.base import json_list_field


class Code(SQLModel, table=True):
    """One entry of a code list (onderwerp, kanaal, actie, ...); codes are stable, labels Dutch."""

    lijst: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=80)
    label: str = Field(max_length=200)
    ouder: str | None = Field(default=None, max_length=80)
    synoniemen: list[str] = json_list_field()
    volgorde: int = 0
    actief: bool = True
