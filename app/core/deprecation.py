"""A way of calling the API that still works but has a documented successor (RFC 9745 `Deprecation`).

The answer keeps its shape; only headers are added: `Deprecation` with the moment the way was deprecated
(a structured-field date, `@<unix seconds>`), and a `Link` to the successor (`rel="successor-version"`,
RFC 8288) where there is one. No `Sunset` yet: the old ways keep working until API v2.
"""

from datetime import UTC, datetime

from starlette.datastructures import MutableHeaders

# API 0.3 (issue 28): import options as form fields, and files through `formaat=`/`Accept`.
SINDS_0_3 = datetime(2026, 12, 7, tzinfo=UTC)


def markeer(headers: MutableHeaders, *, opvolger: str | None = None, sinds: datetime = SINDS_0_3) -> None:
    """Mark the response as the answer to a deprecated call; `opvolger` is the path (with query) to use instead."""
    headers["Deprecation"] = f"@{int(sinds.timestamp())}"
    if opvolger is not None:
        headers.append("Link", f'<{opvolger}>; rel="successor-version"')
