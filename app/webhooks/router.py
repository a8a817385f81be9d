"""Webhook subscriptions: /v1/webhooks (issue 28). Deliveries: app/webhooks/bezorging.py."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from app.core import versies
from app.core.db import SessionDep
from app.core.openapi import location
from app.core.pagination import PAGINATED, PaginaDep, paginate_list
from app.gebeurtenissen.router import GebeurtenissenDep
from app.models import Webhook, WebhookAflevering
from app.toegang.dependencies import CallerDep
from app.webhooks import service
from app.webhooks.schemas import (
    AfleveringPublic,
    WebhookAangemaakt,
    WebhookCreate,
    WebhookPublic,
    WebhookUpdate,
)

router = APIRouter(tags=["webhooks"])


def eigen_webhook(
    webhook_id: Annotated[uuid.UUID, Path(alias="webhookId", description="Identificatie van de webhook.",
                                          examples=["3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c"])],
    caller: CallerDep,
    session: SessionDep,
) -> Webhook:
    """The caller's webhook (its organisation's, or its region's), or 404."""
    return service.get(session, caller=caller, webhook_id=webhook_id)


WebhookDep = Annotated[Webhook, Depends(eigen_webhook)]


def _publiek(webhook: Webhook) -> WebhookPublic:
    return WebhookPublic.model_validate(webhook)


def _aflevering(aflevering: WebhookAflevering) -> AfleveringPublic:
    publiek = AfleveringPublic.model_validate(aflevering)
    if aflevering.status != "wachtend":
        publiek.volgende_poging_op = None
    return publiek


@router.post("/webhooks", status_code=status.HTTP_201_CREATED, summary="Webhook aanmaken")
def create_webhook(caller: GebeurtenissenDep, body: WebhookCreate, session: SessionDep, response: Response) -> WebhookAangemaakt:
    """Abonneer de eigen organisatie (of, met een regionale sleutel, de eigen regio) op gebeurtenissen. Elke
    gebeurtenis die de sleutel mag zien en die in `soorten` valt, wordt ondertekend afgeleverd volgens Standard
    Webhooks (headers `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`). Het geheim staat
    alleen in dit antwoord. Een URL naar een intern adres (loopback, privé, link-local) of zonder https geeft 400."""
    webhook, geheim = service.create(session, caller=caller, url=body.url, soorten=[s.value for s in body.soorten])
    response.headers["Location"] = location("webhooks", webhook.id)
    return WebhookAangemaakt.model_validate({**_publiek(webhook).model_dump(), "geheim": geheim})


@router.get("/webhooks", responses=PAGINATED, summary="Webhooks opvragen")
def list_webhooks(caller: GebeurtenissenDep, session: SessionDep, pagina: PaginaDep) -> list[WebhookPublic]:
    """De webhooks van de eigen organisatie (of regio), oudste eerst."""
    items = paginate_list(service.alle(session, caller=caller), paginering=pagina.paginering,
                          request=pagina.request, response=pagina.response)
    return [_publiek(w) for w in items]


@router.get("/webhooks/{webhookId}", summary="Webhook opvragen")
def get_webhook(caller: GebeurtenissenDep, webhook: WebhookDep, response: Response) -> WebhookPublic:
    """Eén webhook, met zijn `ETag` voor een latere PATCH; die van een andere organisatie of regio geeft 404. Het
    geheim wordt nooit meer getoond."""
    return versies.met_etag(response, _publiek(webhook))


@router.patch("/webhooks/{webhookId}", summary="Webhook wijzigen")
def update_webhook(caller: GebeurtenissenDep, webhook: WebhookDep, body: WebhookUpdate, session: SessionDep,
                   response: Response, if_match: versies.IfMatchDep = None) -> WebhookPublic:
    """Wijzig `url` of `soorten`, of schakel de webhook uit (`actief: false`) of weer in (`actief: true`, ook na
    automatisch uitschakelen: de teller van fouten op rij begint opnieuw, wachtende afleveringen gaan meteen).
    Met `If-Match` geeft een intussen gewijzigde webhook 412."""
    if if_match is not None:
        versies.vergrendel(session, webhook)
        versies.controleer(if_match, _publiek(webhook))
    changes = body.model_dump(exclude_unset=True, by_alias=False)
    if "soorten" in changes and changes["soorten"] is not None:
        changes["soorten"] = [str(s) for s in changes["soorten"]]
    return versies.met_etag(response, _publiek(service.update_(session, caller=caller, webhook=webhook, changes=changes)))


@router.delete("/webhooks/{webhookId}", status_code=status.HTTP_204_NO_CONTENT, summary="Webhook verwijderen")
def delete_webhook(caller: GebeurtenissenDep, webhook: WebhookDep, session: SessionDep) -> Response:
    """Verwijder de webhook met zijn afleverlog; er wordt niets meer afgeleverd."""
    service.delete_(session, caller=caller, webhook=webhook)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/webhooks/{webhookId}/afleveringen", responses=PAGINATED, summary="Afleverlog van een webhook")
def list_afleveringen(caller: GebeurtenissenDep, webhook: WebhookDep, session: SessionDep, pagina: PaginaDep) -> list[AfleveringPublic]:
    """De afleveringen aan deze webhook, nieuwste eerst: status, pogingen, volgende poging en de laatste fout.
    Een mislukte poging wordt herhaald na 10 s, 40 s, 2,7 min, 11 min, 43 min, 2,8 uur en 11 uur (×4 per poging)."""
    return [_aflevering(a) for a in pagina.van(session, service.afleveringen_statement(webhook))]


@router.post("/webhooks/{webhookId}/test", status_code=status.HTTP_202_ACCEPTED, summary="Webhook testen")
def test_webhook(caller: GebeurtenissenDep, webhook: WebhookDep, session: SessionDep) -> AfleveringPublic:
    """Stuur een testbericht (`type: webhook.test`) naar de webhook; het wordt binnen enkele seconden afgeleverd
    zoals elke gebeurtenis. Volg de uitkomst in het afleverlog."""
    return _aflevering(service.test(session, caller=caller, webhook=webhook))
