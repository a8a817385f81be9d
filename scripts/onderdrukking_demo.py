"""How many cells of the dashboard's regional pages are suppressed on the demo data, and how far the
published figures lie from the truth (docs/onderdrukking.md, issue 21).

    .venv/bin/python scripts/onderdrukking_demo.py [--periodes 2026-10,2026-11,vorig-kwartaal]

Builds a fresh SQLite database with the demo data in a temporary folder, then computes every
indicator query the overview page makes for the demo's regional key (GM0344, GM0307), once as the
regional reader sees it and once exactly, and prints the counts.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--periodes", default="vorige-maand,dit-kwartaal,vorig-kwartaal,dit-jaar")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="sm-onderdrukking-")
    os.environ["SLEUTELMONITOR_DATABASE_URL"] = f"sqlite:///{tmp}/demo.db"
    os.environ.setdefault("SLEUTELMONITOR_LEESBUDGET_PER_DAG", "1000000")
    from alembic import command
    from alembic.config import Config
    from sqlmodel import Session

    from app import demo
    from app.core.config import get_settings
    from app.core.db import get_engine
    from app.indicatoren import service
    from app.indicatoren.dependencies import waarden_verzoek
    from app.toegang.caller import Binding, Caller, Scope

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    command.upgrade(config, "head")
    engine = get_engine()
    with Session(engine) as session:
        demo.laad_demo_data(session)
        session.commit()
    settings = get_settings()
    regio = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.regio,
                   gemeentecodes=("GM0344", "GM0307"))
    exact = Caller(sleutel_id=None, scopes=frozenset({Scope.rapporteren}), binding=Binding.organisatie)
    scope = service._scope

    def bereken(caller: Caller, code: str, **params: Any) -> Any:
        verzoek = waarden_verzoek(code, **params)
        if caller is exact:  # the regional scope, computed exactly (what an organisation would see)
            service._scope = lambda query, _c: query.c.gemeentecode.in_(regio.gemeentecodes)  # type: ignore[assignment]
        try:
            with Session(engine) as session:
                return service.bereken(session, caller=caller, verzoek=verzoek, drempel=settings.suppression_threshold,
                                       max_rijen=settings.max_indicator_rows)
        finally:
            service._scope = scope

    vragen: list[tuple[str, dict[str, Any]]] = []
    for periode in args.periodes.split(","):
        for code in ("aantal-contactmomenten", "aantal-hulpvragen", "bereik-inwoners", "bereik-groepsdeelnemers",
                     "aantal-doorverwijzingen", "percentage-doorverwijzingen-afgerond", "bestede-uren",
                     "percentage-signalen-teruggekoppeld"):
            vragen.append((code, {"periode": periode}))
        vragen += [("aantal-contactmomenten", {"periode": periode, "interval": "maand"}),
                   ("aantal-hulpvragen", {"periode": periode, "interval": "maand"}),
                   ("aantal-hulpvragen", {"periode": periode, "groeperenOp": "hoofdonderwerp"}),
                   ("aantal-doorverwijzingen", {"periode": periode, "groeperenOp": "ketenpartnerCategorie"}),
                   ("percentage-doorverwijzingen-afgerond", {"periode": periode, "groeperenOp": "ketenpartnerCategorie"})]
    cellen = onderdrukt = geweigerd = 0
    afwijking: list[float] = []
    for code, params in vragen:
        try:
            gepubliceerd = bereken(regio, code, **params)
        except Exception as exc:  # a refused table counts as refused
            geweigerd += 1
            print(f"geweigerd: {code} {params}: {getattr(exc, 'detail', exc)}")
            continue
        echt = {(r.periode.vanaf, *r.dimensies.values()): r for r in bereken(exact, code, **params).rijen}
        for rij in gepubliceerd.rijen:
            waar = echt.get((rij.periode.vanaf, *rij.dimensies.values()))
            waar_waarde = waar.waarde if waar is not None else 0
            if waar is None or (not waar.waarde and not waar.noemer):
                continue  # an empty cell: not counted as a cell of the page
            cellen += 1
            onderdrukt += rij.onderdrukt
            if rij.waarde is not None and waar_waarde is not None:
                afwijking.append(abs(rij.waarde - waar_waarde))
    print(f"vragen: {len(vragen)}, geweigerd: {geweigerd}")
    print(f"niet-lege cellen: {cellen}, onderdrukt: {onderdrukt} ({onderdrukt / max(1, cellen):.1%})")
    print(f"gemiddelde absolute afwijking van getoonde cellen: {sum(afwijking) / max(1, len(afwijking)):.2f}")


if __name__ == "__main__":
    main()
