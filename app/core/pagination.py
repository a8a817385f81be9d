"""Page-based pagination with RFC 8288 Link headers (sorting: core.sorting)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request, Response
from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.core.config import get_settings
from app.core.errors import OngeldigeInvoer

T = TypeVar("T")

PAGINATION_HEADERS = {
    "Link": {
        "description": "RFC 8288-links naar de eerste, vorige, volgende en laatste pagina.",
        "schema": {"type": "string"},
    },
    "X-Total-Count": {"description": "Totaal aantal resultaten over alle pagina's.", "schema": {"type": "integer"}},
}
PAGINATED = {200: {"headers": PAGINATION_HEADERS}}


@dataclass(frozen=True)
class Paginering:
    page: int
    page_size: int


def paginering(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Paginanummer, vanaf 1.", examples=[1])] = 1,
    page_size: Annotated[
        int | None,
        Query(alias="pageSize", ge=1, description="Aantal resultaten per pagina (maximum is instelbaar, standaard 100).", examples=[20]),
    ] = None,
) -> Paginering:
    settings = get_settings()
    size = page_size or settings.default_page_size
    if size > settings.max_page_size:
        raise OngeldigeInvoer.veld("pageSize", f"Mag hoogstens {settings.max_page_size} zijn.")
    return Paginering(page=page, page_size=size)


PagineringDep = Annotated[Paginering, Depends(paginering)]


def paginate(
    session: Session,
    statement: SelectOfScalar[T],
    *,
    paginering: Paginering,
    request: Request,
    response: Response,
) -> list[T]:
    """Run one page of `statement` (already filtered and ordered, with a unique tiebreaker) and set the headers."""
    total = session.exec(select(func.count()).select_from(statement.order_by(None).subquery())).one()
    items = list(
        session.exec(
            statement.offset((paginering.page - 1) * paginering.page_size).limit(paginering.page_size)
        ).all()
    )
    zet_headers(total, paginering=paginering, request=request, response=response)
    return items


def paginate_list(items: Sequence[T], *, paginering: Paginering, request: Request, response: Response) -> list[T]:
    """One page of a list already in memory (bounded, e.g. an import's kept errors), with the same headers."""
    zet_headers(len(items), paginering=paginering, request=request, response=response)
    begin = (paginering.page - 1) * paginering.page_size
    return list(items[begin:begin + paginering.page_size])


def zet_headers(total: int, *, paginering: Paginering, request: Request, response: Response) -> None:
    """Link (first, prev, next, last) and X-Total-Count for one page of `total` results."""
    last = max(1, math.ceil(total / paginering.page_size))
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "pageSize")]

    def link(page: int, rel: str) -> str:
        query = urlencode([*params, ("page", str(page)), ("pageSize", str(paginering.page_size))])
        return f'<{request.url.path}?{query}>; rel="{rel}"'

    links = [link(1, "first")]
    if paginering.page > 1:
        links.append(link(min(paginering.page - 1, last), "prev"))
    if paginering.page < last:
        links.append(link(paginering.page + 1, "next"))
    links.append(link(last, "last"))
    response.headers["Link"] = ", ".join(links)
    response.headers["X-Total-Count"] = str(total)


@dataclass(frozen=True)
class Pagina:
    """The page a list route answers with: its parameters, and the request and response for the headers."""

    paginering: Paginering
    request: Request
    response: Response

    def van(self, session: Session, statement: SelectOfScalar[T]) -> list[T]:
        """One page of `statement`, with Link and X-Total-Count set on the response."""
        return paginate(session, statement, paginering=self.paginering, request=self.request, response=self.response)


async def pagina(paginering: PagineringDep, request: Request, response: Response) -> Pagina:
    # Async: no I/O, so no hop through the thread pool.
    return Pagina(paginering=paginering, request=request, response=response)


PaginaDep = Annotated[Pagina, Depends(pagina)]
