"""API schemas for signalen: what an organisation sends, and what it and the receiving region see."""

import enum
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator, model_validator

from app.core.persoonsgegevens import NAMEN_WAARSCHUWING, IdZonderPersoonsgegevens, VrijeTekst
from app.core.schemas import GeenBsn, InputSchema, Schema
from app.core.validation import DatumNietInToekomst, Gemeentecode, Taalcode, Wijkcode, niet_voor_eerste_datum, uniek

OMSCHRIJVING_MAX = 4000
TERUGKOPPELING_MAX = 4000


class Urgentie(enum.StrEnum):
    laag = "laag"
    middel = "middel"
    hoog = "hoog"


class SignaalStatusCode(enum.StrEnum):
    ingediend = "ingediend"
    ontvangen = "ontvangen"
    in_behandeling = "in-behandeling"
    opgepakt = "opgepakt"
    niet_opgepakt = "niet-opgepakt"


class BerichtVan(enum.StrEnum):
    """Who wrote a message in a signal's conversation."""

    ontvanger = "ontvanger"
    organisatie = "organisatie"


class GerichtAanSoort(enum.StrEnum):
    gemeente = "gemeente"
    ggd = "ggd"
    ketenpartner = "ketenpartner"


Signaaldatum = Annotated[
    DatumNietInToekomst,
    AfterValidator(niet_voor_eerste_datum),
    Field(description="Datum waarop het signaal is opgehaald; niet in de toekomst, niet vóór 2000-01-01.", examples=["2026-11-20"]),
]
Onderwerpen = Annotated[
    list[Annotated[str, Field(max_length=80)]],
    AfterValidator(uniek),
    Field(
        min_length=1,
        max_length=10,
        description="Codes uit codelijst `onderwerp` (minstens één); een hoofdonderwerp omvat zijn subonderwerpen in filters en indicatoren.",
        examples=[["zorg.jgz"]],
    ),
]
Titel = Annotated[
    VrijeTekst,
    Field(min_length=1, max_length=200, description="Korte titel van het signaal. " + NAMEN_WAARSCHUWING,
          examples=["Eritrese moeders kennen het consultatiebureau niet"]),
]
Omschrijving = Annotated[
    VrijeTekst,
    Field(
        min_length=1, max_length=OMSCHRIJVING_MAX,
        description="Wat sleutelpersonen horen, zonder gegevens over één inwoner. " + NAMEN_WAARSCHUWING,
        examples=["In drie groepsbijeenkomsten vertelden moeders dat ze de uitnodiging niet begrepen."],
    ),
]


class GerichtAan(GeenBsn, Schema):
    """Aan wie het signaal is gericht: een gemeente (beleid), de GGD voor een gemeente, of een ketenpartner."""

    model_config = InputSchema.model_config

    soort: GerichtAanSoort = Field(description="`gemeente`, `ggd` of `ketenpartner`.", examples=["gemeente"])
    gemeentecode: Gemeentecode | None = Field(
        default=None,
        description="Bij `gemeente` en `ggd`: de gemeente (of de gemeente waarvoor de GGD werkt). Regionale sleutels met scope `signalen` voor deze gemeente ontvangen het signaal.",
        examples=["GM0344"],
    )
    ketenpartner_id: uuid.UUID | None = Field(
        default=None,
        description="Bij `ketenpartner`: id van een ketenpartner van de eigen organisatie.",
        examples=["6f1c2a4e-8b1d-4c7e-9a0b-3d2e1f4a5b6c"],
    )

    @model_validator(mode="after")
    def _compleet(self) -> "GerichtAan":
        if self.soort is GerichtAanSoort.ketenpartner:
            if self.ketenpartner_id is None or self.gemeentecode is not None:
                raise ValueError("Bij soort `ketenpartner` hoort `ketenpartnerId` (en geen `gemeentecode`).")
        elif self.gemeentecode is None or self.ketenpartner_id is not None:
            raise ValueError(f"Bij soort `{self.soort.value}` hoort `gemeentecode` (en geen `ketenpartnerId`).")
        return self


class Terugkoppeling(GeenBsn, Schema):
    """Het antwoord van de ontvanger aan de organisatie die het signaal gaf."""

    model_config = InputSchema.model_config

    tekst: VrijeTekst = Field(
        min_length=1, max_length=TERUGKOPPELING_MAX,
        description="Wat er met het signaal gebeurt, of waarom niet. " + NAMEN_WAARSCHUWING,
        examples=["De JGZ stuurt de uitnodiging voortaan met een uitleg in het Tigrinya."],
    )
    datum: DatumNietInToekomst = Field(description="Datum van de terugkoppeling; niet in de toekomst.", examples=["2026-11-27"])


class SignaalBase(InputSchema):
    datum: Signaaldatum
    gemeentecode: Gemeentecode = Field(description="Gemeente waar het signaal speelt.", examples=["GM0344"])
    wijkcode: Wijkcode | None = Field(default=None, description="Wijk waar het signaal speelt (optioneel).", examples=["WK034405"])
    onderwerpen: Onderwerpen
    doelgroep: str | None = Field(default=None, max_length=40, description="Code uit codelijst `doelgroep` (optioneel).", examples=["statushouder"])
    taal: Taalcode | None = Field(default=None, description="Taal van de gemeenschap waar het signaal vandaan komt (optioneel).", examples=["ti"])
    titel: Titel
    omschrijving: Omschrijving
    hoe_vaak_gehoord: int | None = Field(
        default=None, ge=1, le=100_000, description="Hoe vaak het ongeveer is gehoord (optioneel, een schatting).", examples=[12]
    )
    urgentie: Urgentie = Field(description="`laag`, `middel` of `hoog`.", examples=["middel"])
    gericht_aan: GerichtAan
    sleutelpersoon_id: uuid.UUID | None = Field(
        default=None,
        description="De sleutelpersoon die het signaal inbracht (van de eigen organisatie, optioneel). De ontvanger ziet dit nooit.",
        examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"],
    )


class SignaalCreate(SignaalBase):
    """Een nieuw signaal van de eigen organisatie."""

    extern_id: IdZonderPersoonsgegevens | None = Field(
        default=None, min_length=1, max_length=100,
        description="Id van het signaal in de partnerapplicatie; uniek per organisatie. Maakt opnieuw versturen veilig. Geen BSN.",
        examples=["crm-sig-0042"],
    )


class SignaalUpdate(InputSchema):
    """Correctie door de eigen organisatie: alleen meegestuurde velden veranderen.

    Bij een signaal aan een ketenpartner legt de organisatie ook de status en de terugkoppeling van de
    ketenpartner vast; bij een signaal aan een gemeente of GGD doet de ontvanger dat.
    """

    datum: Signaaldatum | None = None
    gemeentecode: Gemeentecode | None = Field(default=None, description="Gemeente waar het signaal speelt.", examples=["GM0344"])
    wijkcode: Wijkcode | None = Field(default=None, description="Wijk; `null` wist hem.", examples=["WK034405"])
    onderwerpen: Onderwerpen | None = None
    doelgroep: str | None = Field(default=None, max_length=40, description="Code uit codelijst `doelgroep`; `null` wist hem.", examples=["statushouder"])
    taal: Taalcode | None = Field(default=None, description="Taal; `null` wist hem.", examples=["ti"])
    titel: Titel | None = None
    omschrijving: Omschrijving | None = None
    hoe_vaak_gehoord: int | None = Field(default=None, ge=1, le=100_000, description="Schatting; `null` wist hem.", examples=[12])
    urgentie: Urgentie | None = Field(default=None, description="`laag`, `middel` of `hoog`.", examples=["hoog"])
    gericht_aan: GerichtAan | None = Field(default=None, description="Alleen te wijzigen zolang de status `ingediend` is.")
    sleutelpersoon_id: uuid.UUID | None = Field(default=None, description="Sleutelpersoon; `null` wist hem.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])
    extern_id: IdZonderPersoonsgegevens | None = Field(default=None, min_length=1, max_length=100, description="Id in de partnerapplicatie.", examples=["crm-sig-0042"])
    status: SignaalStatusCode | None = Field(default=None, description="Alleen bij een signaal aan een ketenpartner: de nieuwe status.", examples=["opgepakt"])
    status_datum: DatumNietInToekomst | None = Field(default=None, description="Datum van de statuswijziging; standaard vandaag.", examples=["2026-11-27"])
    terugkoppeling: Terugkoppeling | None = Field(default=None, description="Alleen bij een signaal aan een ketenpartner: diens terugkoppeling.")

    @field_validator("datum", "gemeentecode", "onderwerpen", "titel", "omschrijving", "urgentie", "gericht_aan", "status", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("Mag niet null zijn; laat het veld weg om het ongewijzigd te laten.")
        return value


class StatusWijziging(InputSchema):
    """De ontvanger zet het signaal op een nieuwe status, met terugkoppeling waar nodig."""

    status: SignaalStatusCode = Field(description="De nieuwe status.", examples=["opgepakt"])
    status_datum: DatumNietInToekomst | None = Field(
        default=None, description="Datum van de statuswijziging; standaard vandaag. Niet vóór de datum van de huidige status.", examples=["2026-11-27"]
    )
    terugkoppeling: Terugkoppeling | None = Field(
        default=None, description="Verplicht bij `opgepakt` en `niet-opgepakt`; bij andere statussen mag een tussentijdse terugkoppeling."
    )


class GerichtAanPublic(Schema):
    soort: GerichtAanSoort = Field(description="`gemeente`, `ggd` of `ketenpartner`.", examples=["gemeente"])
    gemeentecode: str | None = Field(description="Bij `gemeente` en `ggd`.", examples=["GM0344"])
    ketenpartner_id: uuid.UUID | None = Field(description="Bij `ketenpartner`.", examples=["6f1c2a4e-8b1d-4c7e-9a0b-3d2e1f4a5b6c"])


class TerugkoppelingPublic(Schema):
    tekst: str = Field(description="De terugkoppeling van de ontvanger.", examples=["De JGZ stuurt de uitnodiging voortaan met uitleg."])
    datum: date = Field(description="Datum van de terugkoppeling.", examples=["2026-11-27"])


class SignaalStatusHistorie(Schema):
    status: SignaalStatusCode = Field(description="Status.", examples=["ingediend"])
    status_datum: date = Field(description="Datum waarop deze status inging.", examples=["2026-11-20"])
    vastgelegd_op: datetime = Field(description="Tijdstip waarop deze status is vastgelegd.", examples=["2026-11-20T10:15:00Z"])


class SignaalInhoud(Schema):
    """What both sides see."""

    id: uuid.UUID = Field(description="Id van het signaal.", examples=["0b9d3c1e-2f4a-4e5b-8c6d-7e8f9a0b1c2d"])
    datum: date = Field(description="Datum waarop het signaal is opgehaald.", examples=["2026-11-20"])
    gemeentecode: str = Field(description="Gemeente waar het signaal speelt.", examples=["GM0344"])
    wijkcode: str | None = Field(description="Wijk (optioneel).", examples=["WK034405"])
    onderwerpen: list[str] = Field(description="Codes uit codelijst `onderwerp`.", examples=[["zorg.jgz"]])
    doelgroep: str | None = Field(description="Code uit codelijst `doelgroep`.", examples=["statushouder"])
    taal: str | None = Field(description="Taal (ISO 639).", examples=["ti"])
    titel: str = Field(description="Korte titel.", examples=["Eritrese moeders kennen het consultatiebureau niet"])
    omschrijving: str = Field(description="Omschrijving.", examples=["Moeders begrepen de uitnodiging niet."])
    hoe_vaak_gehoord: int | None = Field(description="Schatting van hoe vaak het is gehoord.", examples=[12])
    urgentie: Urgentie = Field(description="`laag`, `middel` of `hoog`.", examples=["middel"])
    gericht_aan: GerichtAanPublic
    status: SignaalStatusCode = Field(description="Huidige status.", examples=["ingediend"])
    status_datum: date = Field(description="Datum waarop de huidige status inging.", examples=["2026-11-20"])
    terugkoppeling: TerugkoppelingPublic | None = Field(
        description="Het laatste bericht van de ontvanger (tekst en datum), zodra die er is. Sinds de berichten "
        "(`/berichten`) is dit het laatste bericht met `van: ontvanger`; eerdere berichten blijven bewaard in het gesprek."
    )
    historie: list[SignaalStatusHistorie] = Field(description="Alle statussen, oudste eerst.")
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen (UTC).", examples=["2026-11-20T10:15:00Z"])
    gewijzigd_op: datetime = Field(description="Tijdstip van de laatste wijziging (UTC).", examples=["2026-11-27T09:00:00Z"])


class SignaalPublic(SignaalInhoud):
    """Een signaal zoals de eigen organisatie het ziet."""

    extern_id: str | None = Field(description="Id in de partnerapplicatie.", examples=["crm-sig-0042"])
    sleutelpersoon_id: uuid.UUID | None = Field(description="De sleutelpersoon die het inbracht.", examples=["7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"])


class OntvangenSignaal(SignaalInhoud):
    """Een signaal zoals de ontvanger (regionale sleutel) het ziet: met de naam van de organisatie, nooit de sleutelpersoon."""

    organisatie_naam: str = Field(description="Naam van de organisatie die het signaal gaf.", examples=["Welzijn Overvecht"])


BERICHT_MAX = TERUGKOPPELING_MAX


class BerichtCreate(InputSchema):
    """Een nieuw bericht in het gesprek over een signaal."""

    tekst: VrijeTekst = Field(
        min_length=1, max_length=BERICHT_MAX,
        description="Het bericht. " + NAMEN_WAARSCHUWING,
        examples=["We hebben uw signaal ontvangen en bespreken het volgende week met de JGZ."],
    )
    datum: DatumNietInToekomst | None = Field(
        default=None, description="Datum van het bericht; standaard vandaag. Niet in de toekomst en niet vóór de datum van het signaal.",
        examples=["2026-11-24"],
    )
    extern_id: IdZonderPersoonsgegevens | None = Field(
        default=None, min_length=1, max_length=100,
        description="Id van het bericht in uw eigen systeem; uniek per signaal en per kant. Maakt opnieuw versturen veilig: "
        "hetzelfde bericht nog eens geeft 200 met het bestaande, hetzelfde `externId` met een andere inhoud 409. Geen BSN.",
        examples=["crm-bericht-0007"],
    )


class BerichtPublic(Schema):
    """Eén bericht in het gesprek over een signaal; berichten worden nooit overschreven."""

    id: uuid.UUID = Field(description="Id van het bericht.", examples=["5e0c1b2a-9d8f-4a7b-8c6d-1e2f3a4b5c6d"])
    van: BerichtVan = Field(
        description="`ontvanger`: de gemeente, de GGD of (vastgelegd door de organisatie) de ketenpartner; "
        "`organisatie`: de organisatie die het signaal gaf, of een van haar sleutelpersonen via de app.",
        examples=["ontvanger"],
    )
    tekst: str = Field(description="Het bericht.", examples=["We hebben uw signaal ontvangen en bespreken het volgende week."])
    datum: date = Field(description="Datum van het bericht.", examples=["2026-11-24"])
    extern_id: str | None = Field(
        default=None,
        description="Het `externId` waarmee uw kant het bericht stuurde; leeg bij berichten van de andere kant.",
        examples=["crm-bericht-0007"],
    )
    aangemaakt_op: datetime = Field(description="Tijdstip van vastleggen (UTC).", examples=["2026-11-24T09:30:00Z"])
