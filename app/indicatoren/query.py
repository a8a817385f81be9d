"""The SQL of one indicator query: the source rows, their joins, dimensions, filters and record keys.

`service.bereken` turns an `IndicatorQuery` into the two-level select (source rows, then cells).
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
)

from app.core.errors import OngeldigeInvoer
from app.indicatoren.catalogue import Bron, Indicator, Maat
from app.models import (
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    Ervaringsverhaal,
    ErvaringsverhaalEffect,
    ErvaringsverhaalOnderwerp,
    Inzet,
    Ketenpartner,
    Kosten,
    ProfessioneelContact,
    ProfessioneelContactOnderwerp,
    Project,
    Signaal,
    SignaalOnderwerp,
    Sleutelpersoon,
    Uitkomst,
)

CONTACT_KOLOMMEN = {
    "organisatie": "organisatie_id",
    "gemeente": "gemeentecode",
    "wijk": "wijkcode",
    "sleutelpersoon": "sleutelpersoon_id",
    "kanaal": "kanaal",
    "soort": "soort",
    "rol": "rol",
    "taal": "taal",
    "leeftijdscategorie": "leeftijdscategorie",
    "geslacht": "geslacht",
    "doelgroep": "doelgroep",
    "project": "project_id",
}
FAMILIE = {
    "onderwerp": "onderwerp",
    "hoofdonderwerp": "onderwerp",
    "actie": "actie",
    "ketenpartner": "doorverwijzing",
    "ketenpartnerCategorie": "doorverwijzing",
    "status": "doorverwijzing",
    "wijze": "doorverwijzing",
    "effect": "effect",
}
UUID_DIMENSIES = {"organisatie", "sleutelpersoon", "ketenpartner", "project"}
# Columns of the contact that its topic rows and referrals carry themselves (migration 0032), kept equal
# by the database in the same statement as every write (app/contactmomenten/afgeleid.py).
KOPIE_ONDERWERP = {
    "id": "contactmoment_id", "datum": "contact_datum", "gemeentecode": "contact_gemeentecode",
    "organisatie_id": "contact_organisatie_id", "sleutelpersoon_id": "contact_sleutelpersoon_id",
    "verwijderd_op": "contact_verwijderd_op",
}
KOPIE_DOORVERWIJZING = {
    "id": "contactmoment_id", "datum": "contact_datum", "gemeentecode": "contact_gemeentecode",
    "organisatie_id": "organisatie_id", "sleutelpersoon_id": "contact_sleutelpersoon_id",
    "verwijderd_op": "contact_verwijderd_op",
}


class ContactKolommen:
    """The contact's columns as a help question or a referral query sees them: the child row's own
    copies where it has them, else the contactmoment's, joined the first time such a column is asked.

    A query that only needs the date, gemeente, organisation, key person and deletion mark (the
    regional and national tables, issue 29) so reads the child table alone, from a covering index.
    """

    def __init__(self, query: "IndicatorQuery", kind: Any, kopie: dict[str, str]) -> None:
        self._query = query
        self._kind = kind
        self._kopie = kopie
        self._contact: Any = None

    def __getitem__(self, naam: str) -> Any:
        if naam in self._kopie:
            return self._kind.c[self._kopie[naam]]
        if self._contact is None:
            self._contact = Contactmoment.__table__.alias("c")
            self._query.from_ = self._query.from_.join(self._contact, self._contact.c.id == self._kind.c.contactmoment_id)
        return self._contact.c[naam]

    def __getattr__(self, naam: str) -> Any:
        if naam.startswith("_"):
            raise AttributeError(naam)
        return self[naam]

    def __contains__(self, naam: str) -> bool:
        return naam in self._kopie or naam in Contactmoment.__table__.c




@dataclass(frozen=True)
class Basis:
    """The table a source's rows come from, its topic table, and dimensions that are its own columns."""

    model: Any
    onderwerpen: Any  # None for a source without topics (inzet)
    sleutel: str  # the topic table's column that points at the base row
    kolommen: dict[str, str]  # dimension -> column of the base table, before CONTACT_KOLOMMEN


CONTACT_BASIS = Basis(Contactmoment, ContactmomentOnderwerp, "contactmoment_id", {})
BASIS = {
    Bron.signaal: Basis(Signaal, SignaalOnderwerp, "signaal_id",
                        {"status": "status", "urgentie": "urgentie", "gerichtAan": "gericht_aan_soort"}),
    Bron.ervaringsverhaal: Basis(Ervaringsverhaal, ErvaringsverhaalOnderwerp, "ervaringsverhaal_id", {"bron": "bron"}),
    # `soort` of inzet is its own column (code list inzet-soort), not the contact's soort.
    Bron.inzet: Basis(Inzet, None, "", {"soort": "soort"}),
    # `soort` of a professional contact is its own column too; `status` is the adviesvraag's loop.
    Bron.professioneel_contact: Basis(ProfessioneelContact, ProfessioneelContactOnderwerp, "professioneel_contact_id",
                                      {"soort": "soort", "status": "status"}),
    # `soort` of a cost is its own column too (code list kosten-soort).
    Bron.kosten: Basis(Kosten, None, "", {"soort": "soort"}),
}
# Dimensions that would single out a key person; regional reports aggregate over them.
# A project is one organisation's funding stream: a regional table per project would be one
# organisation's figures, so it is refused like a key person; `regeling` (a scheme many share) is allowed.
NIET_REGIONAAL = {"sleutelpersoon", "project"}


class IndicatorQuery:
    """Collects the aliases and joins one indicator query needs."""

    def __init__(self, indicator: Indicator, dialect: str) -> None:
        self.indicator = indicator
        self.dialect = dialect
        bron = indicator.bron
        self.basis = BASIS.get(bron, CONTACT_BASIS)
        contact = Contactmoment.__table__
        kind: Any = None
        if bron is Bron.eerste_contact:
            rang = func.row_number().over(
                partition_by=(contact.c.organisatie_id, contact.c.inwoner_hash),
                order_by=(contact.c.datum, contact.c.aangemaakt_op, contact.c.id),
            )
            ranked = (
                select(*contact.c, rang.label("rang"))
                .where(
                    contact.c.verwijderd_op.is_(None),
                    contact.c.inwoner_hash.is_not(None),
                    contact.c.soort == "individueel",
                )
                .subquery("c")
            )
            self.c = ranked.c
            self.from_: Any = ranked
            self.where: list[ColumnElement[bool]] = [ranked.c.rang == 1]
        elif bron in (Bron.hulpvraag, Bron.doorverwijzing):
            # The source's own child table first: it carries the contact's date, gemeente, organisation,
            # key person and deletion mark, so the usual tables need no contactmoment at all.
            kind = (ContactmomentOnderwerp if bron is Bron.hulpvraag else Doorverwijzing).__table__.alias(
                "o" if bron is Bron.hulpvraag else "d")
            self.from_ = kind
            self.c = ContactKolommen(self, kind, KOPIE_ONDERWERP if bron is Bron.hulpvraag else KOPIE_DOORVERWIJZING)
            self.where = [self.c.verwijderd_op.is_(None)]
        else:
            alias = self.basis.model.__table__.alias("c")
            self.c = alias.c
            self.from_ = alias
            self.where = [alias.c.verwijderd_op.is_(None)] if "verwijderd_op" in alias.c else []
        self.o: Any = kind.c if bron is Bron.hulpvraag else None
        self.a: Any = None
        self.d: Any = kind.c if bron is Bron.doorverwijzing else None  # their own table, not joined
        self.k: Any = None
        self.u: Any = None
        self.s: Any = None
        self.e: Any = None
        self.p: Any = None
        if bron is Bron.actie:
            self._join_actie()
        elif bron is Bron.uitkomst:
            # The latest outcome per contact or referral: an outcome of a contact in the period for which
            # no later one exists. Filtering on the period's contacts first keeps the query bounded by
            # them; a window over every outcome ran for minutes on PostgreSQL (issue 15).
            table = Uitkomst.__table__
            u, later = table.alias("u"), table.alias("u_later")
            newer = exists().where(
                later.c.contactmoment_id == u.c.contactmoment_id,
                later.c.doorverwijzing_id.is_not_distinct_from(u.c.doorverwijzing_id),
                tuple_(later.c.datum, later.c.aangemaakt_op, later.c.id) > tuple_(u.c.datum, u.c.aangemaakt_op, u.c.id),
            )
            self.u = u.c
            self.from_ = self.from_.join(u, u.c.contactmoment_id == self.c.id)
            self.where.append(~newer)

    def _join(self, alias: str, model: Any, on: Callable[[Any], ColumnElement[bool]], isouter: bool = False) -> None:
        """Join a table once, under its one-letter alias, kept as `self.<alias>`."""
        if getattr(self, alias) is None:
            table = model.__table__.alias(alias)
            setattr(self, alias, table.c)
            self.from_ = self.from_.join(table, on(table.c), isouter=isouter)

    def _join_onderwerp(self) -> None:
        self._join("o", self.basis.onderwerpen, lambda t: t[self.basis.sleutel] == self.c.id)

    def _join_effect(self) -> None:
        self._join("e", ErvaringsverhaalEffect, lambda t: t.ervaringsverhaal_id == self.c.id)

    def _join_actie(self) -> None:
        self._join("a", ContactmomentActie, lambda t: t.contactmoment_id == self.c.id)

    def _join_doorverwijzing(self) -> None:
        self._join("d", Doorverwijzing, lambda t: t.contactmoment_id == self.c.id)

    def _join_aanvrager(self) -> None:
        """The ketenpartner that asked for a professional contact; none (an outer join) when a gemeente or GGD asked."""
        self._join("k", Ketenpartner, lambda t: t.id == self.c.aangevraagd_door_ketenpartner_id, isouter=True)

    def _join_ketenpartner(self) -> None:
        self._join_doorverwijzing()
        self._join("k", Ketenpartner, lambda t: t.id == self.d.ketenpartner_id)

    def _join_project(self) -> None:
        """The project a record is charged to; none (an outer join) for a record without one."""
        self._join("p", Project, lambda t: t.id == self.c.project_id, isouter=True)

    def _join_sleutelpersoon(self) -> None:
        self._join("s", Sleutelpersoon, lambda t: t.id == self.c.sleutelpersoon_id)

    def kolom(self, naam: str) -> Any:
        """A measured column; `doorlooptijd` is the days from a signal's date to its feedback."""
        if naam == "doorlooptijd":
            if self.dialect == "postgresql":
                return self.c.terugkoppeling_datum - self.c.datum
            return cast(func.julianday(self.c.terugkoppeling_datum) - func.julianday(self.c.datum), Integer)
        return self.c[naam]

    def record_key(self) -> Any:
        """The record key of one counted unit: the row's own, a resident's, or a key person's."""
        indicator = self.indicator
        if indicator.maat is Maat.uniek:
            if indicator.kolom == "inwoner_hash":
                return self.inwoner_sleutel(self.c.inwoner_hash)
            if indicator.kolom == "sleutelpersoon_id":
                self._join_sleutelpersoon()
                return self.s.record_key
            raise ValueError(f"geen recordsleutel voor {indicator.kolom}")
        eigen = {Bron.hulpvraag: self.o, Bron.actie: self.a, Bron.doorverwijzing: self.d, Bron.uitkomst: self.u}
        return eigen.get(indicator.bron, self.c).record_key

    def bijdrager(self) -> Any:
        """Who contributed a row, for the contributor rule: its key person (a signal or story may have
        none: then it counts for nobody)."""
        return self.c.sleutelpersoon_id

    def inwoner_sleutel(self, column: Any) -> Any:
        """A resident's record key: the first byte of the stored resident hash (lowercase hex), so the
        same resident adds the same key to every cell, and an erased link (NULL) adds none."""
        if self.dialect == "postgresql":
            return func.get_byte(func.decode(func.substr(column, 1, 2), "hex"), 0)
        hexa = literal("0123456789abcdef")
        return (func.instr(hexa, func.substr(column, 1, 1)) - 1) * 16 + func.instr(hexa, func.substr(column, 2, 1)) - 1

    def vermenigvuldigt(self) -> bool:
        """True when a join can repeat a source row: a child table other than the source's own.

        Only then does the inner select need DISTINCT (and the row keys). Without it both databases
        fold the inner select into one plain GROUP BY that can be answered from covering indexes.
        """
        eigen = {Bron.hulpvraag: "o", Bron.actie: "a", Bron.doorverwijzing: "d"}.get(self.indicator.bron)
        gejoind = {naam for naam in ("o", "a", "d", "e") if getattr(self, naam) is not None}
        return bool(gejoind - {eigen})

    def parent(self, column: Any) -> Any:
        """The parent topic of a topic code (`geld.toeslagen` -> `geld`), in SQL."""
        if self.dialect == "postgresql":
            return func.split_part(column, ".", 1)
        position = func.instr(column, ".")
        return case((position > 0, func.substr(column, 1, position - 1)), else_=column)

    def onderwerp_kolom(self) -> Any:
        if self.indicator.bron is Bron.doorverwijzing:
            return self.d.onderwerp
        self._join_onderwerp()
        return self.o.onderwerp

    def dimensie(self, naam: str) -> Any:
        """SQL expression for a dimension, joining what it needs."""
        if naam in self.basis.kolommen:
            return self.c[self.basis.kolommen[naam]]
        if naam == "effect":
            self._join_effect()
            return self.e.effect
        if naam == "regeling":
            self._join_project()
            return self.p.regeling
        if naam in CONTACT_KOLOMMEN:
            return self.c[CONTACT_KOLOMMEN[naam]]
        if naam == "onderwerp":
            return self.onderwerp_kolom()
        if naam == "hoofdonderwerp":
            return self.parent(self.onderwerp_kolom())
        if naam == "actie":
            self._join_actie()
            return self.a.actie
        if naam in ("ketenpartner", "status", "wijze"):
            self._join_doorverwijzing()
            return {"ketenpartner": self.d.ketenpartner_id, "status": self.d.status, "wijze": self.d.wijze}[naam]
        if naam == "ketenpartnerCategorie":
            if self.indicator.bron is Bron.professioneel_contact:
                self._join_aanvrager()
            else:
                self._join_ketenpartner()
            return self.k.categorie
        raise KeyError(naam)

    def voorwaarde_kolom(self, naam: str) -> Any:
        if naam in self.basis.kolommen:
            return self.c[self.basis.kolommen[naam]]
        if naam == "resultaat":
            return self.u.resultaat
        if naam == "status":
            return self.d.status
        return self.c[naam]

    def filters(self, filters: dict[str, tuple[str, ...]]) -> list[ColumnElement[bool]]:
        """Filter conditions. A multi-valued family (topics, actions, referrals) that is joined for
        grouping is filtered on the joined row; otherwise one EXISTS per family, so all filters of a
        family hold for the same topic, action or referral."""
        conditions: list[ColumnElement[bool]] = []
        families: dict[str, dict[str, tuple[str, ...]]] = {}
        for naam, waarden in filters.items():
            if naam in self.basis.kolommen:
                conditions.append(self.c[self.basis.kolommen[naam]].in_(waarden))
            elif naam == "regeling":
                projecten = select(Project.__table__.c.id).where(Project.__table__.c.regeling.in_(waarden))
                conditions.append(self.c.project_id.in_(projecten))
            elif naam == "ketenpartnerCategorie" and self.indicator.bron is Bron.professioneel_contact:
                conditions.append(self._aanvrager_filter(waarden))
            elif naam in CONTACT_KOLOMMEN:
                column = self.c[CONTACT_KOLOMMEN[naam]]
                values: list[Any] = [_uuid(naam, w) for w in waarden] if naam in UUID_DIMENSIES else list(waarden)
                conditions.append(column.in_(values))
            else:
                families.setdefault(FAMILIE[naam], {})[naam] = waarden
        for familie, family_filters in families.items():
            conditions.append(self._familie_filter(familie, family_filters))
        return conditions

    def _aanvrager_filter(self, waarden: tuple[str, ...]) -> ColumnElement[bool]:
        """A professional contact asked by a ketenpartner of one of these categories."""
        if self.k is not None:
            return self.k.categorie.in_(waarden)
        k = Ketenpartner.__table__.alias()
        return exists().where(k.c.id == self.c.aangevraagd_door_ketenpartner_id, k.c.categorie.in_(waarden))

    def _familie_filter(self, familie: str, filters: dict[str, tuple[str, ...]]) -> ColumnElement[bool]:
        if familie == "onderwerp":
            joined = self.d.onderwerp if self.indicator.bron is Bron.doorverwijzing else (
                self.o.onderwerp if self.o is not None else None
            )
            sub = self.basis.onderwerpen.__table__.alias()
            column = joined if joined is not None else sub.c.onderwerp
            condition = and_(*[_topic_match(column, w) for w in filters.values()])
            if joined is not None:
                return condition
            return exists().where(sub.c[self.basis.sleutel] == self.c.id, condition)
        if familie == "effect":
            if self.e is not None:
                return self.e.effect.in_(filters["effect"])
            sub = ErvaringsverhaalEffect.__table__.alias()
            return exists().where(sub.c.ervaringsverhaal_id == self.c.id, sub.c.effect.in_(filters["effect"]))
        if familie == "actie":
            if self.a is not None:
                return self.a.actie.in_(filters["actie"])
            sub = ContactmomentActie.__table__.alias()
            return exists().where(sub.c.contactmoment_id == self.c.id, sub.c.actie.in_(filters["actie"]))
        # Referrals: filter the joined referral, or ask that one referral satisfies all filters.
        if self.d is not None:
            if "ketenpartnerCategorie" in filters:
                self._join_ketenpartner()
            d, k, link = self.d, self.k, []
        else:
            d_table, k_table = Doorverwijzing.__table__.alias(), Ketenpartner.__table__.alias()
            d, k = d_table.c, k_table.c
            link = [d.contactmoment_id == self.c.id, k.id == d.ketenpartner_id]
        conditions = []
        for naam, waarden in filters.items():
            if naam == "ketenpartner":
                conditions.append(d.ketenpartner_id.in_([_uuid(naam, w) for w in waarden]))
            elif naam == "ketenpartnerCategorie":
                conditions.append(k.categorie.in_(waarden))
            else:
                conditions.append(d[naam].in_(waarden))
        if not link:
            return and_(*conditions)
        return exists().where(*link, *conditions)


def _topic_match(column: Any, waarden: Sequence[str]) -> ColumnElement[bool]:
    """A topic filter matches the code itself and, for a parent code, all its children."""
    # startswith with autoescape: a `%` or `_` in a filter value is a character, not a wildcard.
    return or_(column.in_(waarden), *[column.startswith(f"{w}.", autoescape=True) for w in waarden if "." not in w])


def _uuid(naam: str, waarde: str) -> uuid.UUID:
    try:
        return uuid.UUID(waarde)
    except ValueError as exc:
        raise OngeldigeInvoer.veld(naam, f"`{waarde}` is geen geldige UUID.") from exc


def row_keys(query: IndicatorQuery) -> list[Any]:
    """The columns that make one source row distinct."""
    bron = query.indicator.bron
    if bron is Bron.hulpvraag:
        return [query.c.id, query.o.onderwerp]
    if bron is Bron.actie:
        return [query.c.id, query.a.actie]
    if bron is Bron.doorverwijzing:
        return [query.d.id]
    if bron is Bron.uitkomst:
        return [query.u.id]
    return [query.c.id]
