"""Signing in to the dashboard with the organisation's identity provider (OpenID Connect), and out again.

`/sso/aanmelden` starts a fresh authorization request and keeps what the browser must bring back (state,
nonce, PKCE verifier, where to go afterwards) in a short-lived signed cookie of its own (`COOKIE`,
SameSite=Lax: the IdP's redirect back is a cross-site navigation, which a Strict cookie would miss).
`/sso/terug` takes the cookie once (it is cleared whatever happens), compares `state`, has the code
exchanged and the ID token verified (app/sso/oidc.py), and signs the person in through their mapping
(app/sso/service.py). The session cookie itself is SameSite=Strict, so the callback answers with a page
that moves on by itself (a same-site navigation that carries it) instead of a redirect chained to the
IdP's. Signing out (`/afmelden`, app/web/pages/aanmelden.py) ends the session here and sends an SSO
user on to the IdP's end_session_endpoint; `/sso/afgemeld` is where the IdP sends them back.
"""

import hmac
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.core.config import get_settings
from app.core.db import SessionDep
from app.sso import oidc
from app.sso import service as sso
from app.web import sessie as sessies
from app.web import sessieopslag
from app.web.pages.aanmelden import veilig_doel
from app.web.templating import pagina

router = APIRouter(include_in_schema=False)

COOKIE = "sleutelmonitor_sso"
SALT = "sleutelmonitor-sso-aanvraag"
LEVENSDUUR = 600  # seconds a person may take at the IdP

_WEIGERING = {
    sso.Uitkomst.geen_koppeling: (
        "U bent bij uw organisatie aangemeld, maar uw account hoort bij geen groep die toegang heeft tot "
        "Sleutelmonitor. Vraag de beheerder van Sleutelmonitor om uw groep te koppelen aan uw organisatie of regio."),
    sso.Uitkomst.meerdere_koppelingen: (
        "Uw account hoort bij meer dan één groep met toegang tot Sleutelmonitor, en het is niet duidelijk welke "
        "organisatie of regio u bedoelt. Vraag de beheerder om u in één van die groepen te laten."),
    sso.Uitkomst.organisatie_gedeactiveerd: (
        "De organisatie waaraan uw groep is gekoppeld, is gedeactiveerd. Neem contact op met de beheerder."),
}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt=SALT)


def _fout(request: Request, status: int, titel: str, detail: str) -> Response:
    response = pagina(request, "fout.html", {"status": status, "titel": titel, "detail": detail, "redenen": [],
                                             "aangemeld": False, "csrf": ""}, status_code=status)
    response.delete_cookie(COOKIE, path="/sso", httponly=True, samesite="lax")
    return response


def _onbereikbaar(request: Request) -> Response:
    response = _fout(request, 503, "Aanmelden tijdelijk niet mogelijk",
                     f"De aanmelddienst ({get_settings().sso_naam}) antwoordt nu niet. Probeer het over een minuut "
                     "opnieuw, of meld u aan met een API-sleutel.")
    response.headers["Retry-After"] = "60"
    return response


def _aan() -> None:
    if not get_settings().sso_aan:
        from starlette.exceptions import HTTPException

        raise HTTPException(404)


@router.get("/sso/aanmelden")
def sso_aanmelden(request: Request, volgende: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    _aan()
    try:
        aanvraag = oidc.start()
    except oidc.IdpOnbereikbaar:
        return _onbereikbaar(request)
    response = RedirectResponse(aanvraag.url, status_code=303)
    waarde = _serializer().dumps({"s": aanvraag.state, "n": aanvraag.nonce, "v": aanvraag.code_verifier,
                                  "d": veilig_doel(volgende)})
    response.set_cookie(COOKIE, waarde, max_age=LEVENSDUUR, path="/sso", httponly=True, samesite="lax",
                        secure=(get_settings().sso_redirect_url_basis or "").startswith("https://"))
    return response


def _aanvraag(request: Request) -> dict[str, Any]:
    waarde = request.cookies.get(COOKIE)
    if not waarde:
        return {}
    try:
        inhoud = _serializer().loads(waarde, max_age=LEVENSDUUR)
    except BadSignature:
        return {}
    return inhoud if isinstance(inhoud, dict) else {}


@router.get("/sso/terug", response_class=HTMLResponse)
def sso_terug(
    request: Request, session: SessionDep,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    state: Annotated[str | None, Query(max_length=500)] = None,
    iss: Annotated[str | None, Query(max_length=500)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    _aan()
    aanvraag = _aanvraag(request)
    verwacht = aanvraag.get("s")
    # The state must be the one this browser started with: a callback from someone else's sign-in (login
    # CSRF, a fixed state) or a second use of the same callback finds no matching cookie.
    if not isinstance(verwacht, str) or not state or not hmac.compare_digest(state, verwacht):
        return _fout(request, 400, "Aanmelden mislukt",
                     "Deze aanmelding is niet in deze browser begonnen, of duurde te lang. Begin opnieuw op de aanmeldpagina.")
    if error or not code:
        return _fout(request, 400, "Aanmelden afgebroken",
                     f"De aanmelding bij {get_settings().sso_naam} is afgebroken of geweigerd. Begin opnieuw op de aanmeldpagina.")
    try:
        claims, id_token = oidc.wissel_code(code=code, code_verifier=str(aanvraag.get("v", "")),
                                            nonce=str(aanvraag.get("n", "")), iss=iss)
    except oidc.IdpOnbereikbaar:
        return _onbereikbaar(request)
    except oidc.OngeldigAntwoord:
        return _fout(request, 400, "Aanmelden mislukt",
                     "Het antwoord van de aanmelddienst klopt niet of is al gebruikt. Begin opnieuw op de aanmeldpagina.")
    try:
        aanmelding = sso.meld_aan(session, claims=claims, id_token=id_token, user_agent=request.headers.get("user-agent"))
    except sso.Geweigerd as exc:
        return _fout(request, 403, "Geen toegang tot Sleutelmonitor", _WEIGERING[exc.uitkomst])
    # One browser, one session: the session this browser had (a key or an earlier SSO sign-in) ends.
    sessies.meld_af(session, sessies.lees(request))
    # Quoted as Starlette quotes a Location: a CR or LF in `volgende` must not reach a header.
    doel = quote(veilig_doel(str(aanvraag.get("d") or "")), safe=":/%#?=@[]!$&'()*+,;")
    response = pagina(request, "sso_verder.html", {"doel": doel})
    response.headers["Refresh"] = f"0; url={doel}"
    sessies.schrijf(response, aanmelding.cookie)
    response.delete_cookie(COOKIE, path="/sso", httponly=True, samesite="lax")
    return response


@router.get("/sso/afgemeld")
def sso_afgemeld() -> Response:
    """Where the IdP sends the browser after RP-initiated logout; the session here had ended already."""
    return RedirectResponse("/?melding=afgemeld", status_code=303)


def afmelden_bij_idp(session: SessionDep, inhoud: dict[str, Any]) -> str | None:
    """Before the session this cookie names ends: the IdP's logout URL if it is an SSO session (else None).

    Whether it is SSO is read from the server's record of the session, never from the cookie, so a key
    session's cookie cannot be turned into a redirect to the IdP, nor an SSO one escape its sign-out there.
    """
    token = inhoud.get("s")
    if not get_settings().sso_aan or not isinstance(token, str):
        return None
    rij = sessieopslag.get(session, token)
    if rij is None or not sso.is_sso_sessie(session, rij.id):
        return None
    sso.markeer_afgemeld(session, dashboard_sessie_id=rij.id)
    id_token = inhoud.get("i")
    return oidc.afmeld_url(id_token if isinstance(id_token, str) else None)
