"""The app's own read models for one key person: defaults, follow-up, and "my month" equal to the API's figures."""

import uuid
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.core.validation import vandaag
from app.doelen import service as doelen
from app.models import Doel
from app.sleutelapp import service
from tests.factories import (
    Omgeving,
    make_contactmoment,
    make_ketenpartner,
    make_key,
    make_sleutelpersoon,
)


def _wie(omgeving: Omgeving, persoon: Any = None) -> service.Wie:
    return service.Wie(organisatie_id=omgeving.organisatie.id, sleutelpersoon_id=(persoon or omgeving.sleutelpersoon).id)


def test_profiel_neemt_de_standaarden_van_het_laatste_contact_en_de_meest_gebruikte_onderwerpen(
    session: Session, omgeving: Omgeving, andere: Omgeving,
) -> None:
    org, persoon = omgeving.organisatie, omgeving.sleutelpersoon
    dag = vandaag()
    for i in range(3):
        make_contactmoment(session, org, persoon, datum=dag - timedelta(days=10 + i), onderwerpen=["geld.toeslagen", "zorg.huisarts"])
    make_contactmoment(session, org, persoon, datum=dag - timedelta(days=2), onderwerpen=["zorg.huisarts"], kanaal="telefonisch",
                       wijkcode="WK034401", doorverwijzingen=[{"ketenpartner": omgeving.ketenpartner, "wijze": "informatief"}])
    # A colleague's and another organisation's contacts count for nothing here.
    collega = make_sleutelpersoon(session, org)
    for _ in range(5):
        make_contactmoment(session, org, collega, datum=dag - timedelta(days=1), onderwerpen=["wonen.energie"], kanaal="video")
        make_contactmoment(session, andere.organisatie, andere.sleutelpersoon, datum=dag, onderwerpen=["werk.zoeken"])
    session.commit()

    p = service.profiel(session, _wie(omgeving), persoon)
    assert p["sleutelpersoonId"] == str(persoon.id)
    assert p["standaard"] == {"gemeentecode": "GM0344", "wijkcode": "WK034401", "kanaal": "telefonisch", "wijze": "informatief"}
    assert p["meestGebruikt"]["onderwerpen"] == ["zorg.huisarts", "geld.toeslagen"]
    assert p["meestGebruikt"]["ketenpartners"] == [str(omgeving.ketenpartner.id)]


def test_codelijsten_zoeken_op_gewone_woorden_en_alleen_de_eigen_sociale_kaart(
    session: Session, omgeving: Omgeving, andere: Omgeving,
) -> None:
    codes = service.codelijsten_voor(session, _wie(omgeving), omgeving.sleutelpersoon)
    toeslagen = next(o for o in codes["onderwerpen"] if o["code"] == "geld.toeslagen")
    assert "toeslag" in toeslagen["zoek"] and "zorgtoeslag" in toeslagen["zoek"]  # data file and code list
    assert toeslagen["pad"] == "Geld en financiën: Toeslagen"
    assert [p["id"] for p in codes["ketenpartners"]] == [str(omgeving.ketenpartner.id)]
    assert codes["gemeenten"][0]["code"] == "GM0344"
    assert {k["code"] for k in codes["kanalen"]} >= {"persoonlijk", "telefonisch", "huisbezoek"}
    # Every code the data file names exists in the topic list, so a search word never points nowhere.
    bekend = {o["code"] for o in codes["onderwerpen"]}
    assert set(service.zoekwoorden()) - bekend == set()


def test_opvolgen_alleen_eigen_open_verwijzingen_oudste_eerst_en_lang_open_gemarkeerd(
    session: Session, omgeving: Omgeving,
) -> None:
    org, persoon, partner = omgeving.organisatie, omgeving.sleutelpersoon, omgeving.ketenpartner
    dag = vandaag()
    oud = make_contactmoment(session, org, persoon, datum=dag - timedelta(days=45),
                             doorverwijzingen=[{"ketenpartner": partner, "status": "verwezen", "onderwerp": "geld.toeslagen"}])
    nieuw = make_contactmoment(session, org, persoon, datum=dag - timedelta(days=3),
                               doorverwijzingen=[{"ketenpartner": partner, "status": "aangekomen"}])
    make_contactmoment(session, org, persoon, datum=dag - timedelta(days=60),
                       doorverwijzingen=[{"ketenpartner": partner, "status": "afgerond"}])
    collega = make_sleutelpersoon(session, org)
    make_contactmoment(session, org, collega, datum=dag - timedelta(days=90), doorverwijzingen=[{"ketenpartner": partner}])
    session.commit()

    uit = service.opvolgen(session, _wie(omgeving))
    assert [v["datum"] for v in uit["verwijzingen"]] == [oud.datum.isoformat(), nieuw.datum.isoformat()]
    eerste, tweede = uit["verwijzingen"]
    assert (eerste["dagenOpen"], eerste["langOpen"], tweede["langOpen"]) == (45, True, False)
    assert eerste["onderwerp"] == "Toeslagen" and eerste["ketenpartner"] == partner.naam
    assert [s["code"] for s in eerste["volgende"]] == ["aangekomen", "afgerond", "afgewezen", "niet-verschenen", "onbekend"]
    assert [c["datum"] for c in uit["contacten"]] == sorted((c["datum"] for c in uit["contacten"]), reverse=True)
    assert len(uit["contacten"]) == 3


def test_mijn_maand_is_wat_de_api_de_organisatie_geeft_voor_die_sleutelpersoon(
    session: Session, omgeving: Omgeving, client: Any,
) -> None:
    org, persoon = omgeving.organisatie, omgeving.sleutelpersoon
    dag = vandaag()
    deze = service.maand(dag.year, dag.month)
    vorige = service.vorige(deze)
    partner2 = make_ketenpartner(session, org)
    for i, (datum, kwargs) in enumerate([
        (deze.vanaf, {"onderwerpen": ["geld.toeslagen", "zorg.huisarts"], "inwoner_referentie": "a-1", "duur_minuten": 30,
                      "doorverwijzingen": [{"ketenpartner": omgeving.ketenpartner, "status": "afgerond"}]}),
        (deze.vanaf, {"onderwerpen": ["geld.schulden"], "inwoner_referentie": "a-1",
                      "doorverwijzingen": [{"ketenpartner": partner2, "status": "verwezen"}]}),
        (deze.vanaf, {"soort": "groep", "aantal_deelnemers": 14, "onderwerpen": ["gezondheid.leefstijl"], "duur_minuten": 90}),
        (vorige.vanaf, {"onderwerpen": ["geld.toeslagen"], "inwoner_referentie": "b-2", "uitkomst": "opgelost"}),
        (vorige.laatste_dag, {"onderwerpen": ["wonen.huisvesting"], "inwoner_referentie": "c-3"}),
    ]):
        make_contactmoment(session, org, persoon, datum=datum, **kwargs)
    collega = make_sleutelpersoon(session, org)
    make_contactmoment(session, org, collega, datum=deze.vanaf, onderwerpen=["geld.toeslagen"], inwoner_referentie="z-9")
    session.add(Doel(organisatie_id=org.id, indicator="aantal-contactmomenten", periode=str(dag.year),
                     vanaf=dag.replace(month=1, day=1), tot=dag.replace(year=dag.year + 1, month=1, day=1), waarde=120,
                     filters={"sleutelpersoon": [str(persoon.id)]},
                     filter_sleutel=doelen.filter_sleutel({"sleutelpersoon": [str(persoon.id)]})))
    session.add(Doel(organisatie_id=org.id, indicator="aantal-contactmomenten", periode=str(dag.year),
                     vanaf=dag.replace(month=1, day=1), tot=dag.replace(year=dag.year + 1, month=1, day=1), waarde=999,
                     filters={"sleutelpersoon": [str(collega.id)]},
                     filter_sleutel=doelen.filter_sleutel({"sleutelpersoon": [str(collega.id)]})))
    headers = make_key(session, organisatie=org, scopes=("rapporteren",))
    session.commit()

    maand = service.mijn_maand(session, _wie(omgeving), deze, lambda s: s)

    def api(code: str, periode: Any, **params: str) -> list[dict[str, Any]]:
        antwoord = client.get(f"/v1/indicatoren/{code}/waarden", headers=headers,
                              params={"periode": periode.label, "sleutelpersoon": str(persoon.id), **params})
        assert antwoord.status_code == 200, antwoord.text
        return antwoord.json()["rijen"]

    cijfers = {c["code"]: c for c in maand["cijfers"]}
    for code in ("aantal-contactmomenten", "aantal-hulpvragen", "bereik-inwoners", "bereik-groepsdeelnemers",
                 "aantal-doorverwijzingen", "bestede-uren"):
        assert cijfers[code]["waarde"] == api(code, deze)[0]["waarde"], code
        assert cijfers[code]["vorige"] == api(code, vorige)[0]["waarde"], code
    afgerond = [r for r in api("aantal-doorverwijzingen", deze, groeperenOp="status") if r["status"]["code"] == "afgerond"]
    assert cijfers["aantal-doorverwijzingen-afgerond"]["waarde"] == afgerond[0]["waarde"] == 1
    assert (cijfers["aantal-contactmomenten"]["waarde"], cijfers["aantal-contactmomenten"]["vorige"]) == (3, 2)
    assert (cijfers["bereik-inwoners"]["waarde"], cijfers["bereik-groepsdeelnemers"]["waarde"]) == (1, 14)
    per_hoofd = {r["hoofdonderwerp"]["code"]: r["waarde"] for r in api("aantal-hulpvragen", deze, groeperenOp="hoofdonderwerp") if r["waarde"]}
    assert {o["code"]: o["waarde"] for o in maand["onderwerpen"] if o["waarde"]} == per_hoofd
    assert maand["onderwerpen"][0] == {"code": "geld", "label": "Geld en financiën", "waarde": 2, "vorige": 1}
    # Only this key person's own target, with the pace of the year.
    [doel] = maand["doelen"]
    assert doel["doel"] == 120
    verstreken = (dag - dag.replace(month=1, day=1)).days + 1
    dagen = (dag.replace(year=dag.year + 1, month=1, day=1) - dag.replace(month=1, day=1)).days
    assert doel["verwacht"] == round(120 * verstreken / dagen, 1)
    assert doel["opSchema"] is (doel["waarde"] >= doel["verwacht"])


# A random UUID that the personal-data guard reads as a postcode with house number ("…496b-ab31…");
# about 3 in 100 random UUIDs hold something it takes for personal data.
UUID_ALS_POSTCODE = uuid.UUID("8282ba79-9ee4-496b-ab31-f14b2b4eebcb")


def test_mijn_maand_ook_als_het_id_op_een_postcode_lijkt(session: Session, omgeving: Omgeving, client: Any) -> None:
    persoon = make_sleutelpersoon(session, omgeving.organisatie, id=UUID_ALS_POSTCODE)
    make_contactmoment(session, omgeving.organisatie, persoon, datum=vandaag().replace(day=1))
    headers = make_key(session, organisatie=omgeving.organisatie, scopes=("rapporteren",))
    session.commit()
    maand = service.mijn_maand(session, _wie(omgeving, persoon), service.maand(vandaag().year, vandaag().month), lambda s: s)
    assert {c["code"]: c["waarde"] for c in maand["cijfers"]}["aantal-contactmomenten"] == 1
    antwoord = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", headers=headers,
                          params={"periode": "deze-maand", "sleutelpersoon": str(UUID_ALS_POSTCODE)})
    assert antwoord.status_code == 200, antwoord.text
    # What is not a UUID still meets the guard (and the UUID check): no personal data in a filter.
    fout = client.get("/v1/indicatoren/aantal-contactmomenten/waarden", headers=headers,
                      params={"periode": "deze-maand", "sleutelpersoon": "3511 AB 12"})
    assert fout.status_code == 400 and "persoonsgegevens" in fout.text
