"""Builders for import tests: small files made on the fly, and an organisation to import into."""

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from sqlmodel import Session

from app.imports import service
from app.imports.mapping import onbekende_waarde
from app.imports.readers import Bron
from app.models import Ketenpartner, Organisatie, Sleutelpersoon
from app.toegang.caller import Binding, Caller, Scope
from tests.factories import make_ketenpartner, make_organisatie, make_sleutelpersoon

KOP = ["Datum", "Sleutelpersoon", "Gemeente", "Kanaal", "Soort", "Aantal deelnemers", "Cliëntnummer",
       "Leeftijd", "Geslacht", "Taal", "Onderwerp", "Actie", "Doorverwezen naar", "Resultaat", "Duur (min)"]


def rij(**waarden: Any) -> list[Any]:
    """A row under KOP: an individual contact by Mays A. in GM0344 unless overridden (keys are KOP names)."""
    standaard: dict[str, Any] = {
        "Datum": "14-3-2025", "Sleutelpersoon": "Mays A.", "Gemeente": "GM0344", "Kanaal": "Persoonlijk",
        "Soort": "Individueel", "Aantal deelnemers": "1", "Cliëntnummer": "C001", "Leeftijd": "27-44",
        "Geslacht": "vrouw", "Taal": "ar", "Onderwerp": "Toeslagen", "Actie": "Informatie gegeven",
        "Doorverwezen naar": "", "Resultaat": "Opgelost", "Duur (min)": "30",
    }
    standaard.update({k.replace("_", " "): v for k, v in waarden.items()})
    return [standaard[k] for k in KOP]


def csv_bytes(
    rijen: Iterable[Sequence[Any]], *, kop: Sequence[str] = KOP, scheidingsteken: str = ";",
    codering: str = "utf-8-sig", regeleinde: str = "\r\n",
) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=scheidingsteken, lineterminator=regeleinde)
    writer.writerow(kop)
    for r in rijen:
        writer.writerow(["" if v is None else v for v in r])
    return buffer.getvalue().encode(codering)


def xlsx_bytes(bladen: dict[str, list[Sequence[Any]]]) -> bytes:
    """A workbook with the given sheets; each sheet's rows are written as is (first row the header)."""
    werkboek = Workbook()
    werkboek.remove(werkboek.active)
    for naam, rijen in bladen.items():
        blad = werkboek.create_sheet(naam)
        for r in rijen:
            blad.append(list(r))
    buffer = io.BytesIO()
    werkboek.save(buffer)
    return buffer.getvalue()


def ndjson_bytes(objecten: Iterable[dict[str, Any] | str]) -> bytes:
    return "".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objecten).encode()


@dataclass
class Omgeving:
    organisatie: Organisatie
    caller: Caller
    mays: Sleutelpersoon
    fatima: Sleutelpersoon
    uwv: Ketenpartner


def maak_omgeving(session: Session, **organisatie: Any) -> Omgeving:
    org = make_organisatie(session, **organisatie)
    return Omgeving(
        organisatie=org,
        caller=Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                      organisatie_id=org.id),
        mays=make_sleutelpersoon(session, org, weergavenaam="Mays A."),
        fatima=make_sleutelpersoon(session, org, weergavenaam="Fátima E."),
        uwv=make_ketenpartner(session, org, naam="UWV", categorie="werk-en-inkomen"),
    )


def importeer(session: Session, omgeving: Omgeving, bron: Bron, formaat: str = "csv", **opties: Any) -> service.Verslag:
    """Import through the service as the organisation, with a run record, like the API does."""
    _, verslag = service.voer_uit(
        session, caller=omgeving.caller, bron=bron, opties=service.Opties(formaat=formaat, **opties)
    )
    return verslag


def fouten(verslag: service.Verslag) -> list[tuple[int | None, str | None, str, str]]:
    """Every error as (row, column, value, reason), by row."""
    return sorted(
        ((r, kolom, waarde, reden) for (kolom, waarde, reden), rijen in verslag.fouten.items() for r in rijen),
        key=lambda f: (f[0] or 0, f[1] or ""),
    )


# The reason for the unknown topic the tests use: no allowed value is spelled like it.
ASTROLOGIE = onbekende_waarde("Astrologie", veld="onderwerpen", lijst="onderwerp", dichtstbij=[])
