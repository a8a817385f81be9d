"""A rate's numerator and denominator are counts over the same records as a filtered count: they must be
the same perturbed figure, not a second draw a reader could average with the first.

Found when professional contacts were added: `percentage-doorverwijzingen-afgerond` published its numerator
with the rate's cell description (no status in it), so `aantal-doorverwijzingen?status=afgerond` over the
very same referrals drew other noise, and reading both gave two independent draws of one true count.
"""

import random
from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_contactmoment, make_ketenpartner, make_key, make_organisatie, make_sleutelpersoon

STATUSSEN = ("afgerond", "afgewezen", "niet-verschenen", "verwezen", "aangekomen")


def test_de_teller_van_een_percentage_is_de_gefilterde_telling(client: TestClient, session: Session) -> None:
    rng = random.Random(7)
    vergelijkingen = 0
    for _ in range(4):  # four organisations in one region: many cells, so equal by chance is unlikely
        org = make_organisatie(session, gemeentecodes=["GM0344"])
        partner = make_ketenpartner(session, org)
        personen = [make_sleutelpersoon(session, org) for _ in range(4)]
        for maand in range(1, 13):
            for persoon in personen:
                make_contactmoment(session, org, persoon, datum=date(2025, maand, rng.randint(1, 28)), gemeentecode="GM0344",
                                   doorverwijzingen=[{"ketenpartner": partner, "status": rng.choice(STATUSSEN)}
                                                     for _ in range(rng.randint(1, 3))])
    regio = make_key(session, gemeentecodes=["GM0344"], scopes=("rapporteren",))
    session.commit()
    gelijk, paren = 0, 0
    for maand in range(1, 13):
        periode = f"2025-{maand:02d}"
        rate = client.get("/v1/indicatoren/percentage-doorverwijzingen-afgerond/waarden",
                          params={"periode": periode, "gemeente": "GM0344"}, headers=regio).json()["rijen"][0]
        telling = client.get("/v1/indicatoren/aantal-doorverwijzingen/waarden",
                             params={"periode": periode, "gemeente": "GM0344", "status": "afgerond"}, headers=regio).json()["rijen"][0]
        if rate["teller"] is None or telling["waarde"] is None:
            continue
        paren += 1
        gelijk += rate["teller"] == telling["waarde"]
        vergelijkingen += 1
    assert paren >= 6, paren
    assert gelijk == paren, f"teller and filtered count differ in {paren - gelijk} of {paren} months"
