"""What the service logs, and what it keeps out: query strings, statement parameters, row values.

Query values carry what a caller filters on (an `externId`, a resident reference in a typo'd
request, a key person's name); the access log keeps method, path and status, which is what an
operator needs. Statement parameters are kept out of SQLAlchemy's errors by the engine itself
(`hide_parameters`, app/core/db.py). PostgreSQL's own messages quote values too ("Failing row
contains (…)", "Key (extern_id)=(…) already exists", `invalid input syntax for type integer: "…"`):
in every logged traceback, whichever logger or handler writes it, such a message is replaced by its
SQLSTATE and the statement.
"""

import logging
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

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
