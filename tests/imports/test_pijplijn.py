"""Issue 29: an import reads, maps and checks its rows in a worker process while the main process writes.

Each test imports the same file twice in the same transaction (the first run rolled back to a savepoint):
once with the worker process and once without, and checks that the report and the stored rows are the
same, so the worker changes where the work is done and nothing else.
"""

import multiprocessing
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session

from app.core.config import get_settings
from app.imports import service
from app.models import (
    Contactmoment,
    ContactmomentActie,
    ContactmomentOnderwerp,
    Doorverwijzing,
    Uitkomst,
)
from tests.imports.helpers import KOP, Omgeving, csv_bytes, fouten, importeer, ndjson_bytes, rij


def _body(omgeving: Omgeving, extern_id: str | None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sleutelpersoonId": str(omgeving.mays.id), "datum": "2025-03-14", "gemeentecode": "GM0344",
        "wijkcode": "WK034401", "kanaal": "huisbezoek", "inwonerReferentie": "client-7",
        "inwoner": {"leeftijdscategorie": "27-44", "geslacht": "vrouw", "taal": "ar"},
        "onderwerpen": ["geld.toeslagen", "zorg.huisarts"], "acties": ["informatie-gegeven"],
        "doorverwijzingen": [{"ketenpartnerId": str(omgeving.uwv.id), "onderwerp": "geld.toeslagen", "wijze": "warm"}],
        "uitkomst": {"resultaat": "opgelost"}, **extra,
    }
    if extern_id is not None:
        body["externId"] = extern_id
    return body


def _opgeslagen(session: Session, omgeving: Omgeving) -> list[tuple[Any, ...]]:
    """Every stored contactmoment of the organisation with its children, without ids and timestamps."""
    uit = []
    for c in session.exec(select(Contactmoment).where(Contactmoment.organisatie_id == omgeving.organisatie.id)).scalars():
        kinderen = [
            sorted(o.onderwerp for o in session.exec(
                select(ContactmomentOnderwerp).where(ContactmomentOnderwerp.contactmoment_id == c.id)).scalars()),
            sorted(a.actie for a in session.exec(
                select(ContactmomentActie).where(ContactmomentActie.contactmoment_id == c.id)).scalars()),
            sorted((d.ketenpartner_id, d.onderwerp, d.wijze, d.status, d.status_datum) for d in session.exec(
                select(Doorverwijzing).where(Doorverwijzing.contactmoment_id == c.id)).scalars()),
            sorted(u.resultaat for u in session.exec(select(Uitkomst).where(Uitkomst.contactmoment_id == c.id)).scalars()),
        ]
        velden = {k: v for k, v in c.model_dump().items() if k not in ("id", "aangemaakt_op", "gewijzigd_op", "record_key")}
        uit.append((sorted(velden.items(), key=lambda kv: kv[0]), kinderen))
    return sorted(uit, key=repr)


def _tweemaal(
    session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch, importeren: Callable[[], service.Verslag],
    *, tot_het_einde: bool = True,
) -> tuple[tuple[service.Verslag, Any], tuple[service.Verslag, Any]]:
    """(report, stored rows) with the worker process, then without it, from the same starting point."""
    instellingen = get_settings()
    monkeypatch.setattr(instellingen, "import_werkproces_vanaf_mb", 0.0)
    punt = session.begin_nested()
    met = importeren()
    met_rijen = _opgeslagen(session, omgeving)
    punt.rollback()
    monkeypatch.setattr(instellingen, "import_werkproces", False)
    zonder = importeren()
    if tot_het_einde:
        assert met.werkproces_rss_kb is not None and met.werkproces_rss_kb > 0, "the first run had a worker process"
    assert zonder.werkproces_rss_kb is None
    assert not multiprocessing.active_children(), "the worker process ended with its run"
    return (met, met_rijen), (zonder, _opgeslagen(session, omgeving))


def _zelfde(met: service.Verslag, zonder: service.Verslag) -> None:
    assert fouten(met) == fouten(zonder)
    rapport_met, rapport_zonder = met.als_rapport(), zonder.als_rapport()
    assert rapport_met == rapport_zonder
    for naam in ("gelezen", "aangemaakt", "bijgewerkt", "ongewijzigd", "afgewezen", "status", "opgeslagen", "melding",
                 "benaderd", "onbekend"):
        assert getattr(met, naam) == getattr(zonder, naam), naam


def test_ndjson_through_the_worker_gives_the_same_report_and_rows(
    session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies: list[dict[str, Any] | str] = [_body(omgeving, f"r-{i}", duurMinuten=10 + i) for i in range(40)]
    bodies += [
        _body(omgeving, None), _body(omgeving, None), _body(omgeving, None, kanaal="telefonisch"),  # derived keys, -2
        _body(omgeving, "r-3", duurMinuten=99),  # the same externId again with other content: a correction
        _body(omgeving, "slecht-datum", datum="14-03-2025"),  # schema
        _body(omgeving, "slecht-code", kanaal="postduif", acties=["bestaat-niet"]),  # code lists (main process)
        _body(omgeving, "slecht-persoon", sleutelpersoonId="7d9f1c2b-3a4e-4f5d-8e6c-1b2a3c4d5e6f"),
        "{geen json",
        _body(omgeving, "na-de-fouten", sleutelpersoonId=str(omgeving.fatima.id)),
    ]
    bron = ndjson_bytes(bodies)
    (met, met_rijen), (zonder, zonder_rijen) = _tweemaal(
        session, omgeving, monkeypatch, lambda: importeer(session, omgeving, bron, formaat="ndjson", per_rij=True)
    )
    assert (zonder.aangemaakt, zonder.bijgewerkt, zonder.afgewezen) == (44, 1, 4)
    _zelfde(met, zonder)
    assert met_rijen == zonder_rijen and len(zonder_rijen) == 44


def test_csv_through_the_worker_gives_the_same_report_mapping_notes_and_rows(
    session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    rijen = [rij(Datum=f"{1 + i % 28}-3-2025", Cliëntnummer=f"C{i:03d}") for i in range(30)]
    rijen += [
        rij(Sleutelpersoon="Fátima E.", Actie="Meegegaan naar afspraak"),  # matched by words: noted for the report
        rij(Sleutelpersoon="Onbekende Naam"), rij(Sleutelpersoon="Onbekende Naam"),  # counted per unknown name
        rij(Onderwerp="Astrologie"),
        rij(Datum="31-2-2025"),
        rij(**{"Doorverwezen naar": "UWV"}),
        [*rij(), "een cel te veel"],
    ]
    bron = csv_bytes(rijen)
    (met, met_rijen), (zonder, zonder_rijen) = _tweemaal(
        session, omgeving, monkeypatch, lambda: importeer(session, omgeving, bron, formaat="csv", per_rij=True)
    )
    assert zonder.afgewezen == 5 and zonder.onbekend["sleutelpersoon"] == {"Onbekende Naam": 2}
    assert zonder.benaderd
    _zelfde(met, zonder)
    assert met_rijen == zonder_rijen and len(zonder_rijen) == zonder.aangemaakt


def test_an_atomic_import_with_an_error_stores_nothing_either_way(
    session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    bron = ndjson_bytes([_body(omgeving, f"a-{i}") for i in range(10)] + [_body(omgeving, "b", kanaal="postduif")])
    (met, met_rijen), (zonder, zonder_rijen) = _tweemaal(
        session, omgeving, monkeypatch, lambda: importeer(session, omgeving, bron, formaat="ndjson")
    )
    _zelfde(met, zonder)
    assert met.status == "mislukt" and met_rijen == zonder_rijen == []


def test_a_file_over_a_reader_limit_fails_the_same_way_in_the_worker(
    session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker is a fresh process: it reads its settings from the environment, as the server's processes do.
    monkeypatch.setenv("SLEUTELMONITOR_MAX_IMPORT_RIJEN", "5")
    monkeypatch.setattr(get_settings(), "max_import_rijen", 5)
    bron = csv_bytes([rij(Cliëntnummer=f"C{i}") for i in range(8)])
    (met, _), (zonder, _) = _tweemaal(
        session, omgeving, monkeypatch, lambda: importeer(session, omgeving, bron, formaat="csv", per_rij=True),
        tot_het_einde=False,
    )
    assert zonder.onleesbaar and "meer dan 5 rijen" in (zonder.melding or "")
    _zelfde(met, zonder)


def test_a_stopped_run_ends_its_worker(session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "import_werkproces_vanaf_mb", 0.0)
    bron = ndjson_bytes([_body(omgeving, f"s-{i}") for i in range(2000)])

    class Gestopt(Exception):
        pass

    def voortgang(gelezen: int) -> None:
        if gelezen >= 500:
            raise Gestopt

    with pytest.raises(Gestopt):
        service.voer_uit(session, caller=omgeving.caller, bron=bron, opties=service.Opties(formaat="ndjson"),
                         voortgang=voortgang)
    assert not multiprocessing.active_children()
    assert session.exec(select(Contactmoment).where(Contactmoment.organisatie_id == omgeving.organisatie.id)).first() is None


def test_small_files_and_runs_that_create_names_stay_in_one_process(
    session: Session, omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert get_settings().import_werkproces and get_settings().import_werkproces_vanaf_mb == 2.0
    klein = importeer(session, omgeving, ndjson_bytes([_body(omgeving, "k")]), formaat="ndjson")
    assert klein.status == "geslaagd" and klein.werkproces_rss_kb is None
    monkeypatch.setattr(get_settings(), "import_werkproces_vanaf_mb", 0.0)
    bron = csv_bytes([rij(Sleutelpersoon="Nieuwe Persoon"), rij(Sleutelpersoon="Nieuwe Persoon")], kop=KOP)
    verslag = importeer(session, omgeving, bron, formaat="csv", nieuwe_sleutelpersonen=True)
    assert verslag.werkproces_rss_kb is None and verslag.nieuwe_sleutelpersonen == ["Nieuwe Persoon"]
