"""What the service logs, and what it keeps out: query strings, statement parameters, row values.

Query values carry what a caller filters on (an `externId`, a resident reference in a typo'd
request, a key person's name); the access log keeps method, path and status, which is what an
operator needs. Statement parameters are kept out of SQLAlchemy's errors by the engine itself
(`hide_parameters`, app/core/db.py). PostgreSQL's own messages quote values too ("Failing row
contains (…)", "Key (extern_id)=(…) already exists", `invalid input syntax for type integer: "…"`):
in every logged traceback, whichever logger or handler writes it, such a message is replaced by its
SQLSTATE and the statement.

`sleutelmonitor serve` writes one JSON object per line (SLEUTELMONITOR_LOG_FORMAAT=json, the default;
`tekst` for uvicorn's plain lines). Every record carries the request id of the request it was
written for: a sane `X-Request-ID` the client (or the proxy in front) sent, or one made here, and
the same id goes back in the response's `X-Request-ID`. The JSON form writes the same message and
cleaned traceback as the plain one, never a record's raw arguments or extra attributes, so the
rules above hold for both.
"""

import json
import logging
import re
import traceback
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from app.core.middleware import HttpLaag

WEGGELATEN = "melding weggelaten (kan waarden bevatten)"
# uvicorn's access logger and the position of the path (with its query string) in its arguments:
# `'%s - "%s %s HTTP/%s" %d', client, method, path, http_version, status` (uvicorn/protocols/http).
ACCESS_LOGGER = "uvicorn.access"
PAD = 2


class ZonderQueryString(logging.Filter):
    """Drops the query string from the path of an access-log record (the record stays)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > PAD and isinstance(args[PAD], str) and "?" in args[PAD]:
            record.args = (*args[:PAD], args[PAD].split("?", 1)[0], *args[PAD + 1:])
        return True


def _is_postgresql_fout(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("psycopg")


def _veilige_tekst(exc: BaseException) -> str | None:
    """What a traceback may say about a PostgreSQL error: its kind and SQLSTATE, and the statement without values."""
    orig = getattr(exc, "orig", None)
    bron = orig if isinstance(orig, BaseException) and _is_postgresql_fout(orig) else exc
    if not _is_postgresql_fout(bron):
        return None
    tekst = f"({type(bron).__module__}.{type(bron).__name__}) SQLSTATE {getattr(bron, 'sqlstate', None)}; {WEGGELATEN}"
    statement = getattr(exc, "statement", None)
    return f"{tekst}\n[SQL: {statement}]" if statement else tekst


def veilige_traceback(exc_info: tuple[type[BaseException], BaseException, TracebackType | None]) -> str:
    """The traceback as `logging` prints it, with every PostgreSQL error message replaced by its SQLSTATE."""
    geheel = traceback.TracebackException(*exc_info)
    gezien: set[int] = set()
    # The exception and the ones it was raised from or during, each with its formatted counterpart.
    waarden: list[tuple[traceback.TracebackException | None, BaseException | None]] = [(geheel, exc_info[1])]
    while waarden:
        te, exc = waarden.pop()
        if te is None or exc is None or id(te) in gezien:
            continue
        gezien.add(id(te))
        vervanging = _veilige_tekst(exc)
        if vervanging is not None and hasattr(te, "_str"):
            te._str = vervanging
        waarden.append((te.__cause__, exc.__cause__))
        waarden.append((te.__context__, exc.__context__))
    return "".join(geheel.format()).rstrip("\n")


def _record_factory(basis: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def maak(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = basis(*args, **kwargs)
        record.request_id = REQUEST_ID.get()
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            # Formatters print a record's exc_text as is when it is set: this is what every handler writes.
            record.exc_text = veilige_traceback(record.exc_info)  # type: ignore[arg-type]
        return record

    maak.veilig = True  # type: ignore[attr-defined]
    return maak


def installeer() -> None:
    """The access-log filter and the traceback cleaner, once per process (create_app may run more than once)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, ZonderQueryString) for f in logger.filters):
        logger.addFilter(ZonderQueryString())
    # WeasyPrint logs every layout step of a report at INFO, and fontTools its subsetting: an operator's log
    # keeps their warnings and errors only.
    for naam in ("weasyprint", "fontTools"):
        if logging.getLogger(naam).level == logging.NOTSET:
            logging.getLogger(naam).setLevel(logging.WARNING)
    huidige = logging.getLogRecordFactory()
    if not getattr(huidige, "veilig", False):
        logging.setLogRecordFactory(_record_factory(huidige))


# --- Request id -------------------------------------------------------------------------------------

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
# What an incoming X-Request-ID may be: a UUID, a 32-hex trace id (nginx $request_id), a ULID, an AWS or
# Envoy trace header. At least 16 characters: a short value could be a BSN or a client number (those are
# never logged), and of a limited alphabet, so it cannot break a log line. Anything else: a new id.
GELDIG_REQUEST_ID = re.compile(r"[A-Za-z0-9._:;=+/-]{16,128}")
HEADER = b"x-request-id"


def request_id_uit(scope: Scope) -> str:
    """The request's id: its own X-Request-ID when that is sane, otherwise a new UUID."""
    for naam, waarde in scope.get("headers", []):
        if naam == HEADER:
            tekst = waarde.decode("latin-1")
            if GELDIG_REQUEST_ID.fullmatch(tekst):
                return tekst
            break
    return str(uuid.uuid4())


class RequestIdMiddleware(HttpLaag):
    """Give each request an id: in every log record written for it (the access log included) and in its response."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_uit(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        header = (HEADER, request_id.encode("latin-1"))

        async def versturen(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER] + [header]
            await send(message)

        # uvicorn writes the access log inside `send`, in this task: it sees the id too.
        token = REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, versturen)
        finally:
            REQUEST_ID.reset(token)


# --- JSON lines -------------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the cleaned traceback.

    Written by hand (some 30 lines) rather than with python-json-logger or structlog: the fields are
    fixed and few, and such libraries add a record's extra attributes to the object by default, which
    is where values could slip in. The message is `getMessage()`, as in the plain form, after the
    access-log filter removed the query string; the traceback is the record's `exc_text`, which the
    record factory above already cleaned.
    """

    def format(self, record: logging.LogRecord) -> str:
        regel: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            regel["request_id"] = request_id
        if record.name == ACCESS_LOGGER and isinstance(record.args, tuple) and len(record.args) == 5:
            # uvicorn's access line, also as fields (the path without its query string, see ZonderQueryString).
            _client, method, pad, _versie, status = record.args
            regel.update(method=method, path=pad, status=status)
        if record.exc_info and not record.exc_text:
            record.exc_text = veilige_traceback(record.exc_info)  # type: ignore[arg-type]
        if record.exc_text:
            regel["exception"] = record.exc_text
        if record.stack_info:
            regel["stack"] = record.stack_info
        return json.dumps(regel, ensure_ascii=False, default=str)


def log_config(formaat: str, level: str = "INFO") -> dict[str, Any]:
    """The logging configuration `serve` hands to uvicorn (applied in every worker process)."""
    from uvicorn.config import LOGGING_CONFIG

    if formaat != "json":
        return LOGGING_CONFIG
    json_handler = {"formatter": "json", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "app.core.logs.JsonFormatter"}},
        "handlers": {
            "default": json_handler,
            "access": {**json_handler, "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
        # The application's own loggers (app.*, sqlalchemy, alembic) write through the root logger.
        "root": {"handlers": ["default"], "level": level.upper()},
    }
