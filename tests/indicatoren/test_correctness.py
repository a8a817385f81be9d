"""Every indicator, against an independent plain-Python computation over a randomized data set.

The data set has several organisations, soft deletes, erased resident links, group sessions,
referrals with several statuses and outcomes recorded more than once. The oracle below works on
plain dicts and knows nothing of the SQL.
"""

import hashlib
import itertools
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.core.periods import Interval, Periode, intervallen, parse_periode
from app.indicatoren.catalogue import EINDSTATUSSEN, INDICATOREN, Bron, Eenheid, Indicator, Maat
from app.indicatoren.service import Verzoek, bereken
from app.models import (
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    Uitkomst,
)
from app.toegang.caller import Binding, Caller, Scope
from tests.conftest import analyseer
from tests.factories import make_ketenpartner, make_organisatie, make_sleutelpersoon

TODAY = date(2026, 6, 30)
TOPICS = ["geld.toeslagen", "geld.schulden", "zorg.huisarts", "zorg.zorgverzekering", "inburgering.post-brieven", "overig"]
ACTIES = ["informatie-gegeven", "uitleg-brief", "afspraak-gemaakt", "doorverwezen"]
STATUSES = ["voorgesteld", "verwezen", "aangekomen", "afgerond", "afgewezen", "niet-verschenen", "onbekend"]
RESULTATEN = ["opgelost", "deels-opgelost", "lopend", "doorverwezen", "niet-opgelost", "onbekend"]
KANALEN = ["persoonlijk", "telefonisch", "huisbezoek"]
GEMEENTEN = ["GM0344", "GM0307", "GM0321"]


def _parent(code: str) -> str:
    return code.split(".")[0]


@pytest.fixture
def dataset(session: Session) -> dict[str, Any]:
    rng = random.Random(20261122)
    organisaties = [make_organisatie(session, gemeentecodes=GEMEENTEN[: i + 1]) for i in range(3)]
    personen = {o.id: [make_sleutelpersoon(session, o) for _ in range(3)] for o in organisaties}
    partners = {
        o.id: [make_ketenpartner(session, o, categorie=c) for c in ("huisarts", "schuldhulpverlening", "sociaal-wijkteam")]
        for o in organisaties
    }
    contacts: list[dict[str, Any]] = []
    base = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(360):
        organisatie = rng.choice(organisaties)
        groep = rng.random() < 0.12
        datum = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900))
        gemeente = rng.choice(organisatie.gemeentecodes)
        record = Contactmoment(
            organisatie_id=organisatie.id,
            sleutelpersoon_id=rng.choice(personen[organisatie.id]).id,
            datum=datum,
            gemeentecode=gemeente,
            wijkcode=f"WK{gemeente[2:]}0{rng.randrange(1, 3)}",
            kanaal="groepsbijeenkomst" if groep else rng.choice(KANALEN),
            soort="groep" if groep else "individueel",
            aantal_deelnemers=rng.randrange(2, 30) if groep else 1,
            inwoner_hash=None if groep or rng.random() < 0.1 else hashlib.sha256(f"{organisatie.id}{rng.randrange(60)}".encode()).hexdigest(),
            leeftijdscategorie=rng.choice(["18-26", "27-44", "45-64", None]),
            geslacht=rng.choice(["vrouw", "man", None]),
            taal=rng.choice(["ar", "ti", "nl"]),
            doelgroep=rng.choice(["statushouder", None]),
            rol=rng.choice(["bemiddelaar", "helper"]),
            duur_minuten=rng.choice([None, 15, 30, 45, 90]),
            inhoud_hash=uuid.uuid4().hex,
            aangemaakt_op=base + timedelta(minutes=n),
            verwijderd_op=base if rng.random() < 0.06 else None,
        )
        session.add(record)
        session.flush()
        onderwerpen = rng.sample(TOPICS, rng.randrange(1, 4))
        acties = rng.sample(ACTIES, rng.randrange(0, 3))
        session.add_all([ContactmomentOnderwerp(contactmoment_id=record.id, onderwerp=o) for o in onderwerpen])
        session.add_all([ContactmomentActie(contactmoment_id=record.id, actie=a) for a in acties])
        refs = []
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            partner = rng.choice(partners[organisatie.id])
            ref = Doorverwijzing(
                organisatie_id=organisatie.id, contactmoment_id=record.id, ketenpartner_id=partner.id,
                onderwerp=rng.choice(onderwerpen + [None]), wijze=rng.choice(["warm", "informatief"]),
                status=rng.choice(STATUSES), status_datum=datum,
            )
            session.add(ref)
            session.flush()
            refs.append({"id": ref.id, "ketenpartner": str(partner.id), "ketenpartnerCategorie": partner.categorie,
                         "onderwerp": ref.onderwerp, "wijze": ref.wijze, "status": ref.status})
        uitkomsten = []
        targets = [None] + [r["id"] for r in refs]
        for k in range(rng.choice([0, 1, 1, 2])):
            target = rng.choice(targets)
            u = Uitkomst(organisatie_id=organisatie.id, contactmoment_id=record.id, doorverwijzing_id=target,
                         resultaat=rng.choice(RESULTATEN), datum=datum + timedelta(days=k),
                         aangemaakt_op=base + timedelta(days=k, minutes=n))
            session.add(u)
            session.flush()
            uitkomsten.append({"id": u.id, "doel": target, "resultaat": u.resultaat, "datum": u.datum, "aangemaakt_op": u.aangemaakt_op})
        contacts.append({
            "id": record.id, "aangemaakt_op": record.aangemaakt_op, "deleted": record.verwijderd_op is not None,
            "organisatie": str(organisatie.id), "gemeente": gemeente, "wijk": record.wijkcode,
            "sleutelpersoon": str(record.sleutelpersoon_id), "kanaal": record.kanaal, "soort": record.soort,
            "rol": record.rol, "taal": record.taal, "leeftijdscategorie": record.leeftijdscategorie,
            "geslacht": record.geslacht, "doelgroep": record.doelgroep, "datum": datum,
            "inwoner_hash": record.inwoner_hash, "aantal_deelnemers": record.aantal_deelnemers,
            "duur_minuten": record.duur_minuten, "sleutelpersoon_id": str(record.sleutelpersoon_id),
            "onderwerpen": onderwerpen, "acties": acties, "refs": refs, "uitkomsten": uitkomsten,
        })
    analyseer(session)
    return {"organisaties": organisaties, "contacts": contacts}


# ---- the oracle -------------------------------------------------------------------------------

CONTACT_DIMS = ["organisatie", "gemeente", "wijk", "sleutelpersoon", "kanaal", "soort", "rol", "taal",
                "leeftijdscategorie", "geslacht", "doelgroep"]
FAMILY = {"onderwerp": "topic", "hoofdonderwerp": "topic", "actie": "actie",
          "ketenpartner": "ref", "ketenpartnerCategorie": "ref", "status": "ref", "wijze": "ref"}


def _source_rows(indicator: Indicator, contacts: list[dict[str, Any]]) -> list[tuple[Any, dict[str, Any], dict[str, Any]]]:
    """(key, contact, item) per source row; item carries the row's own topic/action/referral/outcome."""
    live = [c for c in contacts if not c["deleted"]]
    if indicator.bron is Bron.eerste_contact:
        first: dict[tuple[str, str], dict[str, Any]] = {}
        for c in sorted(live, key=lambda c: (c["datum"], c["aangemaakt_op"], str(c["id"]))):
            if c["soort"] == "individueel" and c["inwoner_hash"]:
                first.setdefault((c["organisatie"], c["inwoner_hash"]), c)
        return [(c["id"], c, {}) for c in first.values()]
    if indicator.bron is Bron.contactmoment:
        return [(c["id"], c, {}) for c in live]
    if indicator.bron is Bron.hulpvraag:
        return [((c["id"], o), c, {"topic": o}) for c in live for o in c["onderwerpen"]]
    if indicator.bron is Bron.actie:
        return [((c["id"], a), c, {"actie": a}) for c in live for a in c["acties"]]
    if indicator.bron is Bron.doorverwijzing:
        return [(r["id"], c, {"ref": r, "topic": r["onderwerp"]}) for c in live for r in c["refs"]]
    rows = []
    for c in live:
        latest: dict[Any, dict[str, Any]] = {}
        for u in sorted(c["uitkomsten"], key=lambda u: (u["datum"], u["aangemaakt_op"], str(u["id"]))):
            latest[u["doel"]] = u
        rows += [(u["id"], c, {"uitkomst": u}) for u in latest.values()]
    return rows


def _family_items(family: str, contact: dict[str, Any], item: dict[str, Any], bron: Bron) -> list[Any]:
    if family == "topic":
        if bron is Bron.doorverwijzing or "topic" in item:
            return [item["topic"]]
        return list(contact["onderwerpen"])
    if family == "actie":
        return [item["actie"]] if "actie" in item else list(contact["acties"])
    return [item["ref"]] if "ref" in item else list(contact["refs"])


def _dim_value(naam: str, family_item: Any) -> Any:
    if naam == "onderwerp":
        return family_item
    if naam == "hoofdonderwerp":
        return None if family_item is None else _parent(family_item)
    if naam == "actie":
        return family_item
    return family_item[naam]


def _matches(naam: str, value: Any, wanted: tuple[str, ...]) -> bool:
    if value is None:
        return False
    if naam in ("onderwerp", "hoofdonderwerp"):
        return any(value == w or ("." not in w and value.startswith(w + ".")) for w in wanted)
    return value in wanted


def oracle(indicator: Indicator, contacts: list[dict[str, Any]], periode: Periode, groeperen_op: tuple[str, ...],
           filters: dict[str, tuple[str, ...]], organisatie: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    cells: dict[tuple[Any, ...], dict[Any, Any]] = {}
    for key, contact, item in _source_rows(indicator, contacts):
        if contact["organisatie"] != organisatie or not periode.vanaf <= contact["datum"] < periode.tot:
            continue
        if any(contact[k] not in v for k, v in indicator.voorwaarde.items()):
            continue
        condition_value = (item.get("ref") or {}).get("status") if "ref" in item else (item.get("uitkomst") or {}).get("resultaat")
        if indicator.maat is Maat.ratio and condition_value not in next(iter(indicator.noemer.values())):
            continue
        if any(contact[k] not in v for k, v in filters.items() if k in CONTACT_DIMS):
            continue
        # Per family: the items that satisfy all of the family's filters.
        choices: list[list[tuple[str, Any]]] = []
        ok = True
        for family in ("topic", "actie", "ref"):
            fam_filters = {k: v for k, v in filters.items() if FAMILY.get(k) == family}
            fam_groups = [g for g in groeperen_op if FAMILY.get(g) == family]
            if not fam_filters and not fam_groups:
                continue
            items = [i for i in _family_items(family, contact, item, indicator.bron)
                     if all(_matches(k, _dim_value(k, i), v) for k, v in fam_filters.items())]
            if not items:
                ok = False
                break
            if fam_groups:
                choices.append([(family, i) for i in items])
        if not ok:
            continue
        for combo in itertools.product(*choices) if choices else [()]:
            chosen = dict(combo)
            dims = tuple(
                contact[g] if g in CONTACT_DIMS else _dim_value(g, chosen[FAMILY[g]]) for g in groeperen_op
            )
            bucket = cells.setdefault(dims, {})
            if indicator.maat is Maat.uniek:
                value = contact[indicator.kolom]
                if value is not None:
                    bucket.setdefault("set", set()).add(value)
            else:
                bucket.setdefault("rows", {})[key] = (contact, condition_value)
    result: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for dims, bucket in cells.items():
        rows = bucket.get("rows", {})
        if indicator.maat is Maat.aantal:
            value: tuple[Any, ...] = (len(rows),)
        elif indicator.maat is Maat.uniek:
            value = (len(bucket.get("set", ())),)
        elif indicator.maat is Maat.som:
            total = sum(c[indicator.kolom] or 0 for c, _ in rows.values())
            value = (round(total * indicator.factor, 1) if indicator.eenheid is Eenheid.uren else total,)
        else:
            teller_values = next(iter(indicator.teller.values()))
            value = (sum(1 for _, v in rows.values() if v in teller_values), len(rows))
        if any(value):
            result[dims] = value
    return result


def _api(session: Session, indicator: Indicator, periode: Periode, groeperen_op: tuple[str, ...],
         filters: dict[str, tuple[str, ...]], organisatie: Any) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie, organisatie_id=organisatie)
    resultaat = bereken(session, caller=caller, drempel=5, max_rijen=100_000,
                        verzoek=Verzoek(indicator=indicator, periode=periode, interval=None, groeperen_op=groeperen_op, filters=filters))
    out = {}
    for rij in resultaat.rijen:
        dims = tuple(rij.dimensies[g] for g in groeperen_op)
        value = (rij.teller, rij.noemer) if indicator.maat is Maat.ratio else (rij.waarde,)
        if any(value):
            out[dims] = value
    return out


GROUPINGS: list[tuple[str, ...]] = [(), ("gemeente",), ("hoofdonderwerp",), ("onderwerp", "kanaal"), ("status",),
                                    ("ketenpartnerCategorie",), ("actie",), ("sleutelpersoon", "geslacht")]
FILTERS: list[dict[str, tuple[str, ...]]] = [{}, {"onderwerp": ("geld",)}, {"gemeente": ("GM0344",), "status": ("afgerond", "verwezen")},
                                             {"actie": ("uitleg-brief",), "wijze": ("warm",)}]
PERIODS = ["2024", "2025Q2", "2025-03", "laatste-12-maanden"]


# Signals and stories have their own oracle: tests/indicatoren/test_signalen_verhalen.py.
# Signals, stories, hours and professional contacts have oracles of their own (test_signalen_verhalen.py,
# test_inzet_uren.py, test_professionele_contacten.py, test_ondersteuning.py); costs and their quotients too
# (test_kosten.py).
CONTACT_INDICATOREN = sorted(c for c, i in INDICATOREN.items() if i.bron not in (
    Bron.signaal, Bron.ervaringsverhaal, Bron.inzet, Bron.professioneel_contact, Bron.deskundigheid, Bron.ondersteuning,
    Bron.rapportageperiode, Bron.kosten))


@pytest.mark.parametrize("code", CONTACT_INDICATOREN)
def test_indicator_matches_oracle(session: Session, dataset: dict[str, Any], code: str) -> None:
    indicator = INDICATOREN[code]
    checked = 0
    for organisatie in dataset["organisaties"]:
        for text in PERIODS:
            periode = parse_periode(text, today=TODAY)
            for groeperen_op in GROUPINGS:
                for filters in FILTERS:
                    if not set(groeperen_op) | set(filters) <= set(indicator.dimensies):
                        continue
                    expected = oracle(indicator, dataset["contacts"], periode, groeperen_op, filters, str(organisatie.id))
                    actual = _api(session, indicator, periode, groeperen_op, filters, organisatie.id)
                    assert actual == expected, (code, text, groeperen_op, filters)
                    checked += 1
    assert checked > 50


def test_time_series_has_no_gaps_and_sums_to_total(session: Session, dataset: dict[str, Any]) -> None:
    organisatie = dataset["organisaties"][0]
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie, organisatie_id=organisatie.id)
    indicator = INDICATOREN["aantal-contactmomenten"]
    periode = parse_periode("2025", today=TODAY)
    for interval, count in [(Interval.maand, 12), (Interval.week, 53), (Interval.dag, 365), (Interval.kwartaal, 4)]:
        series = bereken(session, caller=caller, drempel=5, max_rijen=100_000,
                         verzoek=Verzoek(indicator=indicator, periode=periode, interval=interval, groeperen_op=(), filters={}))
        assert [r.periode for r in series.rijen] == intervallen(periode, interval)
        assert len(series.rijen) == count
        expected = oracle(indicator, dataset["contacts"], periode, (), {}, str(organisatie.id)).get((), (0,))[0]
        assert sum(r.waarde for r in series.rijen) == expected
    months = bereken(session, caller=caller, drempel=5, max_rijen=100_000,
                     verzoek=Verzoek(indicator=indicator, periode=periode, interval=Interval.maand, groeperen_op=(), filters={}))
    for rij in months.rijen:
        expected = oracle(indicator, dataset["contacts"], rij.periode, (), {}, str(organisatie.id)).get((), (0,))[0]
        assert rij.waarde == expected



@pytest.mark.parametrize("interval", [Interval.week, Interval.kwartaal, Interval.maand])
def test_every_interval_counts_its_own_rows(session: Session, dataset: dict[str, Any], interval: Interval) -> None:
    """Each bucket of a series (the bisecting CASE in SQL) equals the oracle for that bucket's dates."""
    organisatie = dataset["organisaties"][0]
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie, organisatie_id=organisatie.id)
    indicator = INDICATOREN["aantal-contactmomenten"]
    # A period that starts and ends mid-interval, so the first and last buckets are clipped.
    periode = Periode(date(2024, 2, 14), date(2025, 8, 20), "2024-02-14/2025-08-19")
    series = bereken(session, caller=caller, drempel=5, max_rijen=100_000,
                     verzoek=Verzoek(indicator=indicator, periode=periode, interval=interval, groeperen_op=(), filters={}))
    assert [r.periode for r in series.rijen] == intervallen(periode, interval)
    for rij in series.rijen:
        expected = oracle(indicator, dataset["contacts"], rij.periode, (), {}, str(organisatie.id)).get((), (0,))[0]
        assert rij.waarde == expected
    assert sum(r.waarde for r in series.rijen) > 0


def test_rates_round_to_one_decimal_and_null_without_denominator(session: Session, dataset: dict[str, Any]) -> None:
    organisatie = dataset["organisaties"][1]
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie, organisatie_id=organisatie.id)
    indicator = INDICATOREN["percentage-doorverwijzingen-afgerond"]
    result = bereken(session, caller=caller, drempel=5, max_rijen=1000,
                     verzoek=Verzoek(indicator=indicator, periode=parse_periode("2024", today=TODAY), interval=Interval.maand, groeperen_op=(), filters={}))
    for rij in result.rijen:
        if rij.noemer:
            assert rij.waarde == round(100 * rij.teller / rij.noemer, 1)
        else:
            assert rij.waarde is None and rij.noemer == 0
    assert set(EINDSTATUSSEN) == set(indicator.noemer["status"])


def test_final_status_index_matches_the_catalogue() -> None:
    """The partial index for the completion rate only helps while its predicate lists exactly EINDSTATUSSEN."""
    from app.models import Doorverwijzing

    index = next(i for i in Doorverwijzing.__table__.indexes if i.name == "ix_doorverwijzing_eindstatus")
    for dialect in ("postgresql", "sqlite"):
        predicaat = str(index.dialect_options[dialect]["where"])
        assert sorted(s.strip(" '") for s in predicaat.split("IN")[1].strip(" ()").split(",")) == sorted(EINDSTATUSSEN)
