"""Domain errors and their rendering as RFC 9457 problem+json (NL API Design Rules)."""

import logging
import sqlite3
import uuid
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, create_model
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from app.core.problemen import SOORTEN, STANDAARD, VELDCODES, veldcode

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Dutch titles per status, for errors raised without a domain title (framework 404, 405, ...).
TITLES: dict[int, str] = {
    400: "Ongeldige invoer",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Gevraagd formaat niet beschikbaar",
    409: "Conflict",
    412: "Versie verouderd",
    428: "Versie vereist",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    429: "Te veel verzoeken",
    500: "Interne serverfout",
    503: "Dienst niet beschikbaar",
}


class InvalidParam(BaseModel):
    name: str = Field(description="Naam van de ongeldige parameter of het ongeldige veld.", examples=["datum"])
    reason: str = Field(description="Waarom de waarde ongeldig is.", examples=["Datum ligt in de toekomst."])
    code: str = Field(description="Stabiele code van wat er mis is met het veld: "
                      + ", ".join(f"`{c}`" for c in VELDCODES) + ".", examples=["verplicht"])


_VOORBEELD_URL = "https://sleutelmonitor.example.nl"


class ProblemBasis(BaseModel):
    """The members every problem has (RFC 9457 plus `code`); each kind below narrows `status` and `code`."""

    # No examples on the members that depend on the kind: this schema serves every status (each response of the
    # document carries examples of its own status, and each kind below has its own).
    type: str = Field(description="URI van de soort fout: een pagina van de dienst (`/v1/problemen/{code}`) die zegt "
                      "wat de fout betekent en wat u kunt doen.")
    title: str = Field(description="Korte Nederlandse omschrijving van het soort fout.")
    status: int = Field(description="HTTP-statuscode.")
    detail: str = Field(description="Uitleg van deze specifieke fout.")
    instance: str | None = Field(default=None, description="Het pad van het verzoek.", examples=["/v1/contactmomenten"])
    code: str = Field(
        description="Stabiele code van de soort fout, voor programma's (de `title` is voor mensen en kan veranderen); "
        "`type` is de pagina van deze code. `GET /v1/problemen` noemt ze alle.",
    )


class Problem(ProblemBasis):
    """Foutbericht volgens RFC 9457 (application/problem+json)."""

    invalidParams: list[InvalidParam] | None = Field(
        default=None, description="Bij status 400: alle ongeldige velden tegelijk."
    )


def _soort(naam: str, code: str, uitleg: str, voorbeeld: dict[str, Any], **velden: Any) -> type[ProblemBasis]:
    """The schema of one kind of problem: `status` and `code` fixed to its values, with its own members.

    `code` is a single-value enum (`const`), so a 409 response can be a `oneOf` of kinds with `code` as its
    discriminator, and every example names its own status and code (not the 400 of the base).
    """
    soort = SOORTEN[code]
    instance = voorbeeld.pop("instance", "/v1/contactmomenten")
    detail = voorbeeld.pop("detail")
    volledig = {"type": f"{_VOORBEELD_URL}/v1/problemen/{code}", "title": soort.titel, "status": soort.status,
                "detail": detail, "instance": instance, "code": code, **voorbeeld}
    model = create_model(
        naam,
        __base__=ProblemBasis,
        __doc__=f"Foutbericht bij status {soort.status} met `code: {code}`: {uitleg}",
        type=(str, Field(description="URI van de soort fout: de pagina van de dienst die zegt wat hij betekent.",
                         examples=[volledig["type"]])),
        title=(str, Field(description="Korte Nederlandse omschrijving van het soort fout.", examples=[soort.titel])),
        status=(Literal[soort.status], Field(description="HTTP-statuscode.", examples=[soort.status])),  # type: ignore[valid-type]
        detail=(str, Field(description="Uitleg van deze specifieke fout.", examples=[detail])),
        code=(Literal[code], Field(description="Stabiele code van de soort fout.", examples=[code])),  # type: ignore[valid-type]
        **velden,
    )
    model.model_config["json_schema_extra"] = {"examples": [volledig]}
    model.model_rebuild(force=True)
    return model


_BESTAAND_ID = Field(description="De id van het record dat er al is.", examples=["1c9e5f5a-4a1d-4c1b-9d8e-2f3a4b5c6d7e"])
_BESTAAND_ID_ZICHTBAAR = Field(
    default=None, description="De id van het record dat het `externId` heeft, als u dat record mag zien.",
    examples=["1c9e5f5a-4a1d-4c1b-9d8e-2f3a4b5c6d7e"],
)
_HUIDIGE_STATUS = Field(description="De status die het record nu heeft.", examples=["aangekomen"])
_ID = "1c9e5f5a-4a1d-4c1b-9d8e-2f3a4b5c6d7e"

# One schema per kind of 409 (app/core/problemen.py), in the order of SOORTEN; `conflict` is the general kind.
CONFLICT_SCHEMAS: dict[str, type[ProblemBasis]] = {
    "conflict": _soort(
        "ConflictProblem", "conflict", "het verzoek botst met de huidige toestand; de `detail` zegt waarmee.",
        {"detail": "De import wordt nog verwerkt; verwijderen kan als hij klaar is.", "instance": f"/v1/imports/{_ID}"},
        huidigeStatus=(str | None, Field(default=None, description="Als de botsing met de status van het record is: "
                                         "die status.", examples=["ontvangen"])),
    ),
    "externid-in-gebruik": _soort(
        "ExternidInGebruikProblem", "externid-in-gebruik", "het `externId` is al in gebruik door een ander record.",
        {"detail": "Het externId `crm-2025-000123` is in de organisatie al in gebruik; gebruik een ander externId."},
        bestaandId=(uuid.UUID | None, _BESTAAND_ID_ZICHTBAAR),
    ),
    "externid-andere-inhoud": _soort(
        "ExternidAndereInhoudProblem", "externid-andere-inhoud",
        "er bestaat al een record met dit `externId` met een andere inhoud; wijzig dat met PATCH.",
        {"detail": "Er bestaat al een contactmoment met externId `crm-2025-000123` met een andere inhoud. Corrigeer "
                   "het bestaande contactmoment met PATCH, of gebruik een ander externId.", "bestaandId": _ID},
        bestaandId=(uuid.UUID, _BESTAAND_ID),
    ),
    "externid-verwijderd": _soort(
        "ExternidVerwijderdProblem", "externid-verwijderd",
        "het record met dit `externId` is verwijderd; een `externId` wordt niet opnieuw gebruikt.",
        {"detail": "Er bestond al een contactmoment met externId `crm-2025-000123`; het is verwijderd. Een externId "
                   "kan niet opnieuw worden gebruikt.", "bestaandId": _ID},
        bestaandId=(uuid.UUID, Field(description="De id van het verwijderde record.", examples=[_ID])),
    ),
    "statusovergang": _soort(
        "StatusovergangProblem", "statusovergang", "deze statusovergang is niet toegestaan vanuit `huidigeStatus`.",
        {"detail": "Een doorverwijzing met status `aangekomen` kan niet naar status `voorgesteld`. Toegestane "
                   "volgende statussen: afgerond, afgewezen, onbekend.", "instance": f"/v1/doorverwijzingen/{_ID}",
         "huidigeStatus": "aangekomen", "toegestaneStatussen": ["afgerond", "afgewezen", "onbekend"]},
        huidigeStatus=(str, _HUIDIGE_STATUS),
        toegestaneStatussen=(list[str], Field(
            description="De statussen waarheen het record vanuit `huidigeStatus` wel kan (leeg: geen).",
            examples=[["afgerond", "afgewezen", "onbekend"]])),
    ),
    "bestaat-al": _soort(
        "BestaatAlProblem", "bestaat-al", "er bestaat al zo'n record; wijzig dat.",
        {"detail": "Code `wonen` bestaat al in codelijst onderwerpen; codes zijn uniek en blijven bestaan (heractiveer "
                   "hem met PATCH).", "instance": "/v1/codelijsten/onderwerpen", "bestaandeCode": "wonen",
         "lijst": "onderwerpen"},
        bestaandId=(uuid.UUID | None, Field(default=None, description="Bij een bestaand record (een doel): zijn id.",
                                            examples=[_ID])),
        bestaandeCode=(str | None, Field(default=None, description="Bij een bestaande code: die code.",
                                         examples=["wonen"])),
        lijst=(str | None, Field(default=None, description="Bij een bestaande code: de codelijst.",
                                 examples=["onderwerpen"])),
    ),
    "subcodes-actief": _soort(
        "SubcodesActiefProblem", "subcodes-actief", "een hoofdcode met actieve subcodes kan niet worden gedeactiveerd.",
        {"detail": "Code `wonen` heeft nog actieve subcodes (wonen.energie); deactiveer die eerst.",
         "instance": "/v1/codelijsten/onderwerpen/wonen", "actieveSubcodes": ["wonen.energie"]},
        actieveSubcodes=(list[str], Field(description="De subcodes die nog actief zijn.", examples=[["wonen.energie"]])),
    ),
    "hoofdcode-inactief": _soort(
        "HoofdcodeInactiefProblem", "hoofdcode-inactief",
        "een subcode van een gedeactiveerde hoofdcode kan niet worden geheractiveerd.",
        {"detail": "Hoofdcode `wonen` is gedeactiveerd; heractiveer die eerst.",
         "instance": "/v1/codelijsten/onderwerpen/wonen.energie", "ouder": "wonen"},
        ouder=(str, Field(description="De hoofdcode die gedeactiveerd is.", examples=["wonen"])),
    ),
    "periode-goedgekeurd": _soort(
        "PeriodeGoedgekeurdProblem", "periode-goedgekeurd",
        "de datum valt in een rapportageperiode die de regio heeft goedgekeurd.",
        {"detail": "De rapportageperiode 2026Q1 is goedgekeurd door de regio; registraties met een datum in die "
                   "periode kunnen niet meer worden toegevoegd, gewijzigd of verwijderd.", "periodes": ["2026Q1"]},
        periodes=(list[str], Field(description="De goedgekeurde periodes die het verzoek raakt.", examples=[["2026Q1"]])),
    ),
    "periode-loopt-nog": _soort(
        "PeriodeLooptNogProblem", "periode-loopt-nog", "een rapportageperiode kan pas worden ingediend als ze voorbij is.",
        {"detail": "De periode 2026Q4 loopt nog tot en met 2026-12-31; indienen kan vanaf de dag erna.",
         "instance": "/v1/rapportageperiodes/2026Q4/indienen"},
    ),
    "idempotency-key-hergebruikt": _soort(
        "IdempotencyKeyHergebruiktProblem", "idempotency-key-hergebruikt",
        "deze `Idempotency-Key` hoorde bij een ander verzoek.",
        {"detail": "Deze `Idempotency-Key` is al gebruikt voor een ander verzoek (een andere methode, een ander pad of "
                   "een andere body). Gebruik een nieuwe sleutel voor een nieuw verzoek."},
    ),
    "idempotency-key-in-behandeling": _soort(
        "IdempotencyKeyInBehandelingProblem", "idempotency-key-in-behandeling",
        "het eerste verzoek met deze `Idempotency-Key` loopt nog; probeer het na `Retry-After` seconden opnieuw.",
        {"detail": "Het eerste verzoek met deze `Idempotency-Key` wordt nog verwerkt; probeer het zo opnieuw."},
    ),
}

# 412: `If-Match` names an older version.
VersieProblem = _soort(
    "VersieProblem", "versie-verouderd", "`If-Match` noemt een oudere versie dan die van de server.",
    {"detail": "Het record is gewijzigd sinds versie \"2\"; er is niets opgeslagen.", "instance": f"/v1/doorverwijzingen/{_ID}",
     "huidigeEtag": '"3"'},
    huidigeEtag=(str, Field(description="De ETag van de huidige versie; haal het record opnieuw op.", examples=['"3"'])),
)


class DomeinFout(Exception):
    """Base of all errors the API reports on purpose; each carries its HTTP status."""

    status: int = 400
    title: str = TITLES[400]

    def __init__(
        self,
        detail: str,
        *,
        title: str | None = None,
        invalid_params: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if title:
            self.title = title
        self.invalid_params = invalid_params
        self.headers = headers
        self.extra = extra or {}
        if code is not None:  # a kind of app/core/problemen.py; without it, the general kind of the status
            self.extra["code"] = code


class OngeldigeInvoer(DomeinFout):
    status, title = 400, TITLES[400]

    @classmethod
    def veld(cls, name: str, reason: str) -> "OngeldigeInvoer":
        """One invalid field, reported in the same shape as request validation errors."""
        return cls(reason, invalid_params=[{"name": name, "reason": reason}])

    @classmethod
    def met(
        cls, problems: list[dict[str, str]], *, onderwerp: str = "De invoer", bevat: str = "bevat", slot: str = ""
    ) -> "OngeldigeInvoer":
        """All invalid fields at once: `<onderwerp> bevat 2 fouten; zie invalidParams.<slot>`."""
        n = len(problems)
        detail = f"{onderwerp} {bevat} {n} fout{'en' if n != 1 else ''}; zie invalidParams.{slot}"
        return cls(detail, invalid_params=problems)


class NietGeauthenticeerd(DomeinFout):
    status, title = 401, TITLES[401]

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="sleutelmonitor"'})


class GeenToegang(DomeinFout):
    status, title = 403, TITLES[403]


class NietGevonden(DomeinFout):
    status, title = 404, TITLES[404]


class Conflict(DomeinFout):
    status, title = 409, TITLES[409]


class VersieVerouderd(DomeinFout):
    status, title = 412, TITLES[412]


class TeGroot(DomeinFout):
    status, title = 413, TITLES[413]


class MediatypeNietOndersteund(DomeinFout):
    status, title = 415, TITLES[415]


class TeVeelVerzoeken(DomeinFout):
    status, title = 429, TITLES[429]


class DienstNietBeschikbaar(DomeinFout):
    status, title = 503, TITLES[503]


class CommitOnbekend(DienstNietBeschikbaar):
    """The connection was lost during COMMIT: the server cannot know whether the write was stored."""

    def __init__(self) -> None:
        super().__init__(
            "De verbinding met de database viel weg tijdens het vastleggen; of de wijziging is opgeslagen, "
            "is onbekend. Herhaal hetzelfde verzoek met hetzelfde `externId`: is de wijziging al opgeslagen, "
            "dan antwoordt de dienst met het bestaande record (200), anders slaat hij haar alsnog op. Zonder "
            "`externId`: kijk eerst met GET of de wijziging er is voordat u het opnieuw probeert.",
            title="Uitkomst onbekend",
            headers={"Retry-After": "5"},
        )


def problem_body(
    instance: str,
    status: int,
    detail: str,
    *,
    title: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The problem+json document (also for middleware, which answers outside the app's handlers)."""
    extra = dict(extra or {})
    code = extra.pop("code", None) or STANDAARD.get(status, "interne-fout")
    body: dict[str, Any] = {
        "type": probleem_type(code),
        "title": title or TITLES.get(status, "Fout"),
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    if invalid_params:
        body["invalidParams"] = [p if "code" in p else {**p, "code": "ongeldig"} for p in invalid_params]
    body.update(extra)
    return body


def probleem_type(code: str) -> str:
    """The `type` URI of a kind of problem: its page, absolute when the public URL is configured."""
    from app.core.config import get_settings

    return f"{(get_settings().public_url or '').rstrip('/')}/v1/problemen/{code}"


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    title: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body = problem_body(request.url.path, status, detail, title=title, invalid_params=invalid_params, extra=extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _location(loc: tuple[Any, ...]) -> str:
    """Turn pydantic's error location into the name a client sent: `body.onderwerpen.0` -> `onderwerpen[0]`."""
    parts = [p for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "body"


_REASONS: dict[str, str] = {
    "missing": "Verplicht veld ontbreekt.",
    "json_invalid": "De body is geen geldige JSON.",
    "extra_forbidden": "Onbekend veld; dit veld wordt niet geaccepteerd.",
    "string_type": "Moet een tekst zijn.",
    "int_type": "Moet een geheel getal zijn.",
    "int_parsing": "Moet een geheel getal zijn.",
    "bool_parsing": "Moet true of false zijn.",
    "date_from_datetime_parsing": "Moet een datum zijn (JJJJ-MM-DD).",
    "date_parsing": "Moet een datum zijn (JJJJ-MM-DD).",
    "datetime_parsing": "Moet een tijdstip met tijdzone zijn (RFC 3339).",
    "datetime_from_date_parsing": "Moet een tijdstip met tijdzone zijn (RFC 3339).",
    "uuid_parsing": "Moet een UUID zijn.",
    "float_type": "Moet een getal zijn.",
    "float_parsing": "Moet een getal zijn.",
    "list_type": "Moet een lijst zijn.",
    "model_type": "Moet een object zijn.",
    "dict_type": "Moet een object zijn.",
}


def _reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind in _REASONS:
        return _REASONS[kind]
    if kind == "value_error":
        # Our own validators raise ValueError with a Dutch message; pydantic prefixes it.
        return str(error.get("msg", "")).removeprefix("Value error, ")
    if kind == "literal_error" or kind == "enum":
        expected = str((error.get("ctx") or {}).get("expected", "")).replace(" or ", " of ")  # pydantic's English "or"
        return f"Ongeldige waarde; toegestaan: {expected}."
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return f"Voldoet niet aan het patroon {ctx.get('pattern')}."
    if kind == "greater_than_equal":
        return f"Moet minimaal {ctx.get('ge')} zijn."
    if kind == "greater_than":
        return f"Moet groter dan {ctx.get('gt')} zijn."
    if kind == "less_than_equal":
        return f"Mag hoogstens {ctx.get('le')} zijn."
    if kind == "less_than":
        return f"Moet kleiner dan {ctx.get('lt')} zijn."
    if kind == "multiple_of":
        return f"Moet een veelvoud van {ctx.get('multiple_of')} zijn."
    if kind == "string_too_long":
        return f"Mag hoogstens {ctx.get('max_length')} tekens lang zijn."
    if kind == "string_too_short":
        return f"Moet minstens {ctx.get('min_length')} teken(s) lang zijn."
    if kind == "too_short":
        return f"Moet minstens {ctx.get('min_length')} element(en) bevatten."
    if kind == "too_long":
        return f"Mag hoogstens {ctx.get('max_length')} element(en) bevatten."
    return str(error.get("msg", "Ongeldige waarde."))


def validation_params(errors: Any) -> list[dict[str, str]]:
    return [{"name": _location(tuple(e.get("loc", ()))), "reason": _reason(e), "code": veldcode(e.get("type", ""))}
            for e in errors]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomeinFout)
    async def _domain(request: Request, exc: DomeinFout) -> JSONResponse:
        return problem_response(
            request,
            exc.status,
            exc.detail,
            title=exc.title,
            invalid_params=exc.invalid_params,
            headers=exc.headers,
            extra=exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        error = OngeldigeInvoer.met(validation_params(exc.errors()))
        return problem_response(request, 400, error.detail, invalid_params=error.invalid_params)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "")
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"Er bestaat geen resource op {request.url.path}."
        elif exc.status_code == 405:
            detail = f"Methode {request.method} is niet toegestaan op {request.url.path}."
        return problem_response(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)  # no connection free within the pool timeout
    @app.exception_handler(sqlite3.Error)  # raised by the write slot itself, outside SQLAlchemy's wrapping
    @app.exception_handler(OSError)
    async def _storing(request: Request, exc: Exception) -> JSONResponse:
        # An outage, a full disk, a busy or read-only database: the client may try again (503).
        from app.core.storingen import als_storing

        storing = als_storing(exc, schrijvend=request.method not in ("GET", "HEAD", "OPTIONS"))
        if storing is None:
            return await _unexpected(request, exc)
        logger.warning("%s %s: %s (%s)", request.method, request.url.path, storing.detail, exc)
        return problem_response(request, storing.status, storing.detail, title=storing.title, headers=storing.headers)

    @app.exception_handler(ClientDisconnect)
    async def _weg(request: Request, exc: ClientDisconnect) -> Response:
        # The client went away (or was dropped for pausing too long) while it sent its body: nothing
        # to answer and no bug. What the request would have written was never written.
        logger.info("%s %s: the client disconnected before its request body was complete", request.method, request.url.path)
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("Unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            request, 500, "Er ging onverwacht iets mis; de wijziging is niet opgeslagen."
        )
