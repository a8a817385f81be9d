"""Money: euros with cents as `Decimal` in Python, whole cents (an integer) in the database.

SQLite has no decimal type (a NUMERIC column there is a float as soon as it has a fraction), so
every amount is stored as whole cents in a BIGINT and converted only at the edges: `centen()` on
the way in, `euro()` on the way out. Sums are integer sums in SQL, exact on both databases. The
API writes an amount as a JSON string with two decimals (`"12.34"`), so no client reads it through
a binary float; it accepts a string or a JSON number with at most two decimals.
"""

from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, WithJsonSchema

MAX_BEDRAG = Decimal("9999999999.99")  # NUMERIC(12,2)
CENT = Decimal("0.01")

Bedrag = Annotated[
    Decimal,
    Field(
        ge=Decimal("0.01"), le=MAX_BEDRAG, max_digits=12, decimal_places=2, allow_inf_nan=False,
        description="Bedrag in euro's met ten hoogste twee decimalen, als tekst (`\"12.34\"`) of getal; meer dan 0.",
        examples=["12.34"],
    ),
    # Documented as what it is: a number, or a decimal string (not free text, so no personal-data guard).
    WithJsonSchema({
        "anyOf": [
            {"type": "number", "minimum": 0.01, "maximum": float(MAX_BEDRAG), "multipleOf": 0.01},
            {"type": "string", "format": "decimal", "pattern": r"^\d{1,10}(\.\d{1,2})?$"},
        ],
        "description": "Bedrag in euro's met ten hoogste twee decimalen, als tekst (`\"12.34\"`) of getal; meer dan 0.",
        "examples": ["12.34"],
    }),
]
# Output: always a string with exactly two decimals.
BedragUit = Annotated[
    Decimal,
    PlainSerializer(lambda d: f"{d.quantize(CENT)}", return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "format": "decimal", "pattern": r"^\d{1,10}\.\d{2}$"}, mode="serialization"),
]


def centen(bedrag: Decimal) -> int:
    """Euros (a Decimal with at most two decimals) as whole cents; exact."""
    waarde = bedrag * 100
    if waarde != waarde.to_integral_value():
        raise ValueError(f"{bedrag} heeft meer dan twee decimalen")
    return int(waarde)


def euro(centen_: int) -> Decimal:
    """Whole cents as euros, exactly two decimals."""
    return (Decimal(int(centen_)) / 100).quantize(CENT)


def tekst(centen_: int) -> str:
    """Whole cents as a Dutch amount for people: `€ 1.234,56`."""
    bedrag = f"{euro(centen_):,.2f}"
    return "€ " + bedrag.replace(",", "_").replace(".", ",").replace("_", ".")
