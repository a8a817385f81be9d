"""One rule for a regional key that filters on a gemeente outside its region (issue 22, finding 9).

The indicators answered 403 ("Gemeente X valt buiten de regio van deze sleutel (...)"), the signal
inbox and the shared stories `200 []`: the same question got two answers. All three now refuse, in
the same words; a gemeente inside the region still filters as before.
"""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.toegang.scoping import buiten_regio_reden
from tests.ervaringsverhalen.factories import make_verhaal
from tests.factories import make_key, make_organisatie
from tests.signalen.factories import make_signaal

REGIO = ["GM0344", "GM0307"]

LIJSTEN = [
    ("/v1/ontvangen-signalen", ("signalen",)),
    ("/v1/gedeelde-ervaringsverhalen", ("rapporteren",)),
    ("/v1/gedeelde-ervaringsverhalen/export?formaat=csv", ("rapporteren",)),
    ("/v1/indicatoren/aantal-contactmomenten/waarden?periode=2025", ("rapporteren",)),
]


def test_a_gemeente_outside_the_region_is_refused_in_the_same_words(client: TestClient, session: Session) -> None:
    details = {}
    for pad, scopes in LIJSTEN:
        regio = make_key(session, gemeentecodes=REGIO, scopes=scopes)
        teken = "&" if "?" in pad else "?"
        response = client.get(f"{pad}{teken}gemeente=GM0363", headers=regio)
        assert response.status_code == 403, (pad, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        details[pad] = response.json()["detail"]
    # The indicators' wording (app/indicatoren/service.py) is the one rule.
    assert set(details.values()) == {details[LIJSTEN[-1][0]]}, details
    assert details[LIJSTEN[-1][0]].startswith("Gemeente GM0363 valt buiten de regio van deze sleutel (")


def test_the_inbox_and_shared_stories_still_filter_inside_the_region(client: TestClient, session: Session) -> None:
    organisatie = make_organisatie(session, gemeentecodes=REGIO)
    make_signaal(session, organisatie, gemeentecode="GM0344", gericht_aan_gemeentecode="GM0344", titel="Utrecht")
    make_signaal(session, organisatie, gemeentecode="GM0307", gericht_aan_gemeentecode="GM0307", titel="Amersfoort")
    make_verhaal(session, organisatie, gemeentecode="GM0344", titel="Utrecht")
    make_verhaal(session, organisatie, gemeentecode="GM0307", titel="Amersfoort")
    signalen = make_key(session, gemeentecodes=REGIO, scopes=("signalen",))
    rapporteren = make_key(session, gemeentecodes=REGIO, scopes=("rapporteren",))
    inbox = client.get("/v1/ontvangen-signalen?gemeente=GM0307", headers=signalen)
    assert inbox.status_code == 200 and [s["titel"] for s in inbox.json()] == ["Amersfoort"]
    verhalen = client.get("/v1/gedeelde-ervaringsverhalen?gemeente=GM0344", headers=rapporteren)
    assert verhalen.status_code == 200 and [v["titel"] for v in verhalen.json()] == ["Utrecht"]
    assert len(client.get("/v1/ontvangen-signalen", headers=signalen).json()) == 2


def test_the_message_names_the_gemeenten_outside_only() -> None:
    from app.toegang.caller import Binding, Caller

    caller = Caller(sleutel_id=None, binding=Binding.regio, gemeentecodes=tuple(REGIO), scopes=frozenset())
    reden = "Gemeente GM0363 valt buiten de regio van deze sleutel (GM0344, GM0307)."
    assert buiten_regio_reden(caller, ["GM0363", "GM0344"]) == reden
    assert buiten_regio_reden(caller, ["GM0344"]) is None
    assert buiten_regio_reden(caller, []) is None
