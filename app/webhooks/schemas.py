"""API schemas of webhook subscriptions and their delivery log."""

import enum
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from app.core.schemas import InputSchema, Schema
from app.core.validation import uniek
from app.gebeurtenissen.schemas import GebeurtenisSoort

Soorten = Annotated[list[GebeurtenisSoort], AfterValidator(uniek)]
URL_VOORBEELD = "https://crm.example.nl/hooks/sleutelmonitor"


class WebhookCreate(InputSchema):
    url: str = Field(min_length=8, max_length=2000, description="Waarheen: https, naar een publiek adres. "
                     "Redirects worden niet gevolgd.", examples=[URL_VOORBEELD])
    soorten: Soorten = Field(default_factory=list, description="Alleen deze soorten gebeurtenissen; leeg: alle soorten "
                             "die de sleutel mag zien.", examples=[["doorverwijzing.status-gewijzigd", "import.voltooid"]])


class WebhookUpdate(InputSchema):
    url: str | None = Field(default=None, min_length=8, max_length=2000, examples=[URL_VOORBEELD])
    soorten: Soorten | None = Field(default=None, examples=[["contactmoment.verwijderd"]])
    actief: bool | None = Field(default=None, description="`true` schakelt een (automatisch) uitgeschakelde webhook "
                                "weer in: de teller van fouten op rij gaat naar 0 en wachtende afleveringen gaan meteen.",
                                examples=[True])


class WebhookPublic(Schema):
    id: uuid.UUID
    url: str = Field(examples=[URL_VOORBEELD])
    soorten: list[GebeurtenisSoort]
    actief: bool = Field(description="`false` na uitschakelen met PATCH, of automatisch na te veel mislukte pogingen op rij.")
    uitgeschakeld_op: datetime | None = Field(default=None, description="Wanneer de webhook automatisch is uitgeschakeld.")
    opeenvolgende_fouten: int = Field(description="Mislukte afleverpogingen op rij (0 na een geslaagde).")
    organisatie_id: uuid.UUID | None = None
    gemeentecodes: list[str] | None = Field(default=None, description="Bij een regionale webhook: de gemeenten.")
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class WebhookAangemaakt(WebhookPublic):
    geheim: str = Field(description="Het ondertekengeheim (`whsec_…`, Standard Webhooks). Alleen nu getoond: bewaar het. "
                        "Controleer er `webhook-signature` mee: HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`.",
                        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])


class AfleveringStatus(enum.StrEnum):
    wachtend = "wachtend"
    bezig = "bezig"
    geslaagd = "geslaagd"
    mislukt = "mislukt"


class AfleveringPublic(Schema):
    """Eén aflevering van een gebeurtenis (of testbericht) aan een webhook, met haar pogingen."""

    id: uuid.UUID
    bericht_id: str = Field(description="De header `webhook-id`: bij elke poging dezelfde (ontdubbel erop).",
                            examples=["msg_2b1f0c6e9a2d4c1e8f7a6b5c4d3e2f10"])
    soort: GebeurtenisSoort
    volgnummer: int | None = Field(default=None, description="Het volgnummer van de gebeurtenis (niet bij een test).")
    status: AfleveringStatus
    pogingen: int
    volgende_poging_op: datetime | None = Field(default=None, description="Bij `wachtend`: de volgende poging.")
    laatste_statuscode: int | None = Field(default=None, description="HTTP-status van het antwoord op de laatste poging.")
    laatste_fout: str | None = Field(default=None, description="Waarom de laatste poging mislukte (status, time-out, "
                                     "verbinding geweigerd, ...).")
    laatste_poging_op: datetime | None = None
    aangemaakt_op: datetime
    afgeleverd_op: datetime | None = None
