"""API schemas for import runs and their report."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from app.core.schemas import Schema
from app.imports.readers import schoon_json
from app.imports.verslag import Importmodus, Importstatus
from app.models import ImportRun


class ImportFoutgroep(Schema):
    """Identical errors (same column, value and reason) once, with every row they occur on."""

    kolom: str | None = Field(
        description="Kolom in het bestand (bij NDJSON: het veld); leeg bij een fout in het bestand als geheel.",
        examples=["Onderwerp"],
    )
    waarde: str = Field(
        description="De waarde in die kolom (een cliëntnummer wordt nooit herhaald).",
        examples=["Onbekend onderwerp xyz"],
    )
    reden: str = Field(description="Waarom de rij is afgekeurd.", examples=["Onbekende waarde `Onbekend onderwerp xyz`."])
    aantal: int = Field(description="Hoe vaak deze fout voorkomt.", examples=[5])
    rijen: list[int] = Field(
        description="Rijnummers zoals in het bestand (kopregel is rij 1; bij NDJSON het regelnummer).",
        examples=[[292, 680]],
    )


class ImportFoutsoort(Schema):
    """How often one kind of error occurs: the same column and reason, whatever the value."""

    kolom: str | None = Field(description="Kolom in het bestand (bij NDJSON: het veld); leeg bij het bestand als geheel.",
                              examples=["Onderwerp"])
    reden: str = Field(description="De reden, met `…` waar de waarde stond.", examples=["Onbekende waarde `…`."])
    aantal: int = Field(description="Hoe vaak deze fout voorkomt in het hele bestand.", examples=[1200])


class Kolomtoewijzing(Schema):
    kolom: str = Field(description="Kolomkop in het bestand.", examples=["Doorverwezen naar"])
    veld: str | None = Field(
        description="Het veld waarop de kolom is afgebeeld; leeg als de kolom is genegeerd.",
        examples=["doorverwijzingen"],
    )


class NieuweKetenpartner(Schema):
    naam: str = Field(description="Naam van de aangemaakte ketenpartner.", examples=["Taalhuis bibliotheek"])
    categorie: str = Field(
        description="Categorie, afgeleid uit de naam of het mappingbestand; anders `overig`.",
        examples=["taalaanbieder"],
    )


class BenaderdeWaarde(Schema):
    """A value matched by its words only: worth a look before the next import."""

    kolom: str = Field(description="Kolomkop in het bestand.", examples=["Actie"])
    waarde: str = Field(description="De waarde in het bestand.", examples=["Meegegaan naar afspraak"])
    code: str = Field(description="De code waarop de waarde is afgebeeld.", examples=["begeleid-naar-afspraak"])


class OnbekendeNaam(Schema):
    """A name in the file that matches no key person or ketenpartner of the organisation."""

    naam: str = Field(description="De naam zoals in het bestand.", examples=["Samir B."])
    rijen: int = Field(description="Aantal rijen met deze naam.", examples=[42])


class ImportTelling(Schema):
    """The counts of one kind of record in an import."""

    gelezen: int = Field(description="Gelezen rijen van deze soort.", examples=[12])
    aangemaakt: int = Field(description="Nieuw.", examples=[10])
    bijgewerkt: int = Field(description="Gecorrigeerd (zelfde externId).", examples=[0])
    ongewijzigd: int = Field(description="Stonden er al precies zo.", examples=[1])
    afgewezen: int = Field(description="Afgekeurd (zie `fouten`).", examples=[1])


class ImportPublic(Schema):
    """An import run: options, status and counts."""

    id: uuid.UUID = Field(description="Id van de import.", examples=["1c9e5f5a-4a1d-4c1b-9d8e-2f3a4b5c6d7e"])
    status: Importstatus = Field(
        description="`wachtend` of `bezig` (taak), `geslaagd`, `gedeeltelijk` (per rij: een deel afgekeurd) of `mislukt`.",
        examples=["geslaagd"],
    )
    modus: Importmodus = Field(
        description="`atomair` (alles of niets) of `per-rij` (geldige rijen opgeslagen, de rest gemeld).",
        examples=["atomair"],
    )
    proefdraai: bool = Field(description="Alleen gecontroleerd; er is niets opgeslagen.", examples=[False])
    formaat: str = Field(description="`csv`, `xlsx` of `ndjson`.", examples=["csv"])
    bestandsnaam: str | None = Field(description="Oorspronkelijke bestandsnaam, als die is meegegeven.", examples=["logboek-2024.csv"])
    blad: str | None = Field(description="Het gevraagde werkblad (xlsx).", examples=["2024"])
    nieuwe_sleutelpersonen_aanmaken: bool = Field(
        description="Onbekende sleutelpersonen worden aangemaakt.", examples=[False]
    )
    nieuwe_ketenpartners_aanmaken: bool = Field(
        description="Onbekende ketenpartners worden aangemaakt.", examples=[False]
    )
    gelezen: int = Field(description="Gelezen gegevensrijen.", examples=[2000])
    verwerkt: int = Field(description="Verwerkte rijen tot nu toe (voortgang van een taak die `bezig` is).", examples=[2000])
    aangemaakt: int = Field(description="Nieuwe records: contactmomenten en professionele contacten (die laatste ook apart in "
                            "`professioneleContacten`).", examples=[1980])
    bijgewerkt: int = Field(description="Bestaande contactmomenten (zelfde externId) die zijn gecorrigeerd.", examples=[0])
    ongewijzigd: int = Field(description="Rijen die al precies zo bestonden.", examples=[0])
    afgewezen: int = Field(description="Afgekeurde rijen (zie `fouten`).", examples=[20])
    melding: str | None = Field(
        description="Toelichting bij het resultaat, of waarom het bestand als geheel niet te lezen was.",
        examples=[None],
    )
    aangemaakt_op: datetime = Field(description="Tijdstip van aanbieden.", examples=["2025-03-14T10:15:00Z"])
    gestart_op: datetime | None = Field(description="Tijdstip van starten.", examples=["2025-03-14T10:15:01Z"])
    voltooid_op: datetime | None = Field(description="Tijdstip van afronden.", examples=["2025-03-14T10:15:09Z"])


class ImportDetail(ImportPublic):
    """An import run with its report: errors grouped, columns, what was created, approximate matches."""

    fouten: list[ImportFoutgroep] = Field(
        description="De eerste fouten (tot `SLEUTELMONITOR_MAX_IMPORT_FOUTEN`, standaard 1000), gegroepeerd; als CSV "
        "via `/imports/{importId}/fouten`. De rest staat alleen in de aantallen."
    )
    fouten_aantal: int = Field(description="Aantal fouten in het hele bestand (een rij kan er meer hebben).", examples=[20])
    fouten_weggelaten: int = Field(
        description="Fouten die wel geteld zijn maar niet één voor één bewaard (voorbij de grens).", examples=[0]
    )
    foutsoorten: list[ImportFoutsoort] = Field(
        description="Alle fouten geteld per kolom en reden, meest voorkomend eerst (hoogstens 100 soorten, "
        "de rest samen als `Overige fouten`)."
    )
    kolommen: list[Kolomtoewijzing] = Field(description="Hoe elke kolom is afgebeeld (CSV en xlsx).")
    nieuwe_sleutelpersonen: list[str] = Field(
        description="Sleutelpersonen die de import heeft aangemaakt.", examples=[["Mays A."]]
    )
    nieuwe_ketenpartners: list[NieuweKetenpartner] = Field(description="Ketenpartners die de import heeft aangemaakt.")
    benaderd: list[BenaderdeWaarde] = Field(
        description="Waarden die alleen op woorden zijn herkend; controleer ze, of leg ze vast als synoniem."
    )
    onbekende_sleutelpersonen: list[OnbekendeNaam] = Field(
        default_factory=list,
        description="Namen van sleutelpersonen die niet bestaan (hun rijen zijn afgekeurd), meest voorkomend eerst. "
        "Leg per naam vast wat ermee moet in de mapping van de organisatie (`PUT /import-mapping`): aanmaken "
        "(`aanmaken: sleutelpersoon:`) of koppelen aan een bestaande (`waarden: sleutelpersoon:`).",
    )
    onbekende_ketenpartners: list[OnbekendeNaam] = Field(
        default_factory=list,
        description="Namen van ketenpartners die niet bestaan, zoals `onbekendeSleutelpersonen` "
        "(`aanmaken: doorverwijzingen:` of `waarden: doorverwijzingen:`).",
    )
    professionele_contacten: ImportTelling = Field(
        default_factory=lambda: ImportTelling(gelezen=0, aangemaakt=0, bijgewerkt=0, ongewijzigd=0, afgewezen=0),
        description="De professionele contacten onder de rijen (een werkblad `Professionele contacten`, of rijen met "
        "`registratie` = `professioneel-contact`); ze tellen ook mee in de totalen. Zie docs/import-professionele-contacten.md.",
    )


def publiek(run: ImportRun, *, verwerkt: int | None = None, detail: bool = True) -> ImportPublic:
    """The API representation of a run (with its report when `detail`)."""
    # Cleaned on the way out too: a report stored before the readers cleaned text must stay readable.
    rapport: dict[str, Any] = schoon_json(run.rapport or {})
    velden: dict[str, Any] = {
        "id": run.id,
        "status": run.status,
        "modus": run.modus,
        "proefdraai": run.proefdraai,
        "formaat": run.formaat,
        "bestandsnaam": run.bestandsnaam,
        "blad": (run.opties or {}).get("blad"),
        "nieuwe_sleutelpersonen_aanmaken": bool((run.opties or {}).get("nieuweSleutelpersonenAanmaken")),
        "nieuwe_ketenpartners_aanmaken": bool((run.opties or {}).get("nieuweKetenpartnersAanmaken")),
        "gelezen": run.gelezen,
        "verwerkt": verwerkt if verwerkt is not None else run.gelezen,
        "aangemaakt": run.aangemaakt,
        "bijgewerkt": run.bijgewerkt,
        "ongewijzigd": run.ongewijzigd,
        "afgewezen": run.afgewezen,
        "melding": rapport.get("melding"),
        "aangemaakt_op": run.aangemaakt_op,
        "gestart_op": run.gestart_op,
        "voltooid_op": run.voltooid_op,
    }
    if not detail:
        return ImportPublic(**velden)
    return ImportDetail(
        **velden,
        fouten=rapport.get("fouten", []),
        # Reports stored before these counts existed: every error was kept, so the groups tell them.
        fouten_aantal=rapport.get("foutenAantal", sum(g.get("aantal", 0) for g in rapport.get("fouten", []))),
        fouten_weggelaten=rapport.get("foutenWeggelaten", 0),
        foutsoorten=rapport.get("foutsoorten", []),
        kolommen=rapport.get("kolommen", []),
        nieuwe_sleutelpersonen=rapport.get("nieuweSleutelpersonen", []),
        nieuwe_ketenpartners=rapport.get("nieuweKetenpartners", []),
        benaderd=rapport.get("benaderd", []),
        onbekende_sleutelpersonen=rapport.get("onbekendeSleutelpersonen", []),
        onbekende_ketenpartners=rapport.get("onbekendeKetenpartners", []),
        # Reports stored before professional contacts could be imported have none.
        professionele_contacten=rapport.get("professioneleContacten")
        or {"gelezen": 0, "aangemaakt": 0, "bijgewerkt": 0, "ongewijzigd": 0, "afgewezen": 0},
    )


class Importmapping(Schema):
    """An organisation's import mapping: the sections of the YAML mapping file."""

    model_config = ConfigDict(extra="forbid", alias_generator=None, populate_by_name=True, from_attributes=True)

    kolommen: dict[str, str | None] = Field(
        default_factory=dict, description="Kolomkop in het bestand -> veld (of `negeren`).",
        examples=[{"Naam vrijwilliger": "sleutelpersoon", "Opmerking": "negeren"}],
    )
    waarden: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Veld -> {waarde in het bestand: code, of bij `sleutelpersoon` en `doorverwijzingen` de naam van "
        "een bestaande sleutelpersoon of ketenpartner}.",
        examples=[{"sleutelpersoon": {"M. Abdi": "Mays A."}, "onderwerpen": {"Geldzorgen": "geld.schulden"}}],
    )
    standaard: dict[str, str | Annotated[int, Field(ge=0, le=1_000_000)]] = Field(
        default_factory=dict, description="Veld -> waarde als de kolom ontbreekt of leeg is.", examples=[{"kanaal": "persoonlijk"}],
    )
    ketenpartners: dict[str, str] = Field(
        default_factory=dict, description="Naam van een ketenpartner die de import aanmaakt -> categorie.",
        examples=[{"Taalhuis bibliotheek": "taalaanbieder"}],
    )
    aanmaken: dict[str, list[str]] = Field(
        default_factory=dict,
        description="`sleutelpersoon` of `doorverwijzingen` -> onbekende namen die de import aanmaakt.",
        examples=[{"sleutelpersoon": ["Samir B."], "doorverwijzingen": ["Taalhuis bibliotheek"]}],
    )
