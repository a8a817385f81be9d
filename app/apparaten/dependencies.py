"""The device session of a key person, for the app's own routes under /app, and its cookie."""

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from app.core.config import get_settings
from app.core.errors import NietGeauthenticeerd
from app.toegang.caller import Caller
from app.toegang.dependencies import APPARAAT_COOKIE, CallerOfApparaatDep


@dataclass(frozen=True)
class ApparaatSessie:
    caller: Caller
    apparaat_id: uuid.UUID
    sleutelpersoon_id: uuid.UUID
    organisatie_id: uuid.UUID


def zet_cookie(response: Response, token: str) -> None:
    """The device's cookie: HttpOnly, SameSite=Lax (opening the app from a link in a chat app must work),
    Secure behind HTTPS, for the whole sliding lifetime; the server decides whether it is still valid."""
    settings = get_settings()
    response.set_cookie(
        APPARAAT_COOKIE, token, max_age=settings.apparaat_sessie_dagen * 24 * 3600, path="/", httponly=True,
        samesite="lax",
        secure=(settings.public_url or "").startswith("https://") or settings.environment == "production",
    )


def wis_cookie(response: Response) -> None:
    response.delete_cookie(APPARAAT_COOKIE, path="/", httponly=True, samesite="lax")


async def apparaat_sessie(request: Request, response: Response, caller: CallerOfApparaatDep) -> ApparaatSessie:
    """The key person's device behind this request (401 otherwise); its cookie's lifetime starts again."""
    if not caller.is_apparaat or caller.apparaat_id is None or caller.sleutelpersoon_id is None:
        raise NietGeauthenticeerd("Dit deel is voor de app van een sleutelpersoon; open de uitnodiging van je coördinator.")
    assert caller.organisatie_id is not None
    zet_cookie(response, request.cookies[APPARAAT_COOKIE])
    return ApparaatSessie(caller=caller, apparaat_id=caller.apparaat_id, sleutelpersoon_id=caller.sleutelpersoon_id,
                          organisatie_id=caller.organisatie_id)


ApparaatDep = Annotated[ApparaatSessie, Depends(apparaat_sessie)]
