"""The same externId posted eight times at once stores one professional contact; every post gets it back."""

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.core.db import schrijvend_met_wachttijd
from app.models import ProfessioneelContact, ProfessioneelContactOnderwerp
from app.professionele_contacten import service
from app.professionele_contacten.schemas import ProfessioneelContactCreate
from app.toegang.caller import Binding, Caller, Scope
from tests.conftest import DatabaseFactory
from tests.factories import make_organisatie, make_sleutelpersoon


@pytest.fixture(scope="module")
def eigen_engine(databases: DatabaseFactory) -> Iterator[Engine]:
    engine = databases.new_engine()
    yield engine
    engine.dispose()


def test_eight_concurrent_posts_of_one_extern_id_store_one_contact(eigen_engine: Engine) -> None:
    with Session(eigen_engine) as s:
        organisatie = make_organisatie(s)
        persoon = make_sleutelpersoon(s, organisatie)
        s.commit()
        organisatie_id, persoon_id = organisatie.id, persoon.id
    caller = Caller(sleutel_id=None, scopes=frozenset({Scope.registreren}), binding=Binding.organisatie,
                    organisatie_id=organisatie_id)
    schrijvend = schrijvend_met_wachttijd(eigen_engine, 30)
    start = threading.Barrier(8)
    ids: list[object] = []
    fouten: list[BaseException] = []
    slot = threading.Lock()

    def post() -> None:
        start.wait()
        try:
            with Session(schrijvend) as s:
                contact, _ = service.create(s, caller=caller, data=ProfessioneelContactCreate.model_validate({
                    "externId": "telefoon-prof-7", "sleutelpersoonId": str(persoon_id), "datum": "2026-11-02",
                    "soort": "adviesvraag", "aangevraagdDoor": {"soort": "ggd", "gemeentecode": "GM0344"},
                    "aantalProfessionals": 2, "onderwerpen": ["zorg.jgz"]}))
                s.commit()
                with slot:
                    ids.append(contact.id)
        except BaseException as exc:  # noqa: BLE001  collected and asserted below
            with slot:
                fouten.append(exc)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fouten == [] and len(ids) == 8 and len(set(ids)) == 1
    with Session(eigen_engine) as s:
        rijen = s.exec(select(ProfessioneelContact).where(ProfessioneelContact.organisatie_id == organisatie_id)).all()
        assert len(rijen) == 1 and rijen[0].datum == date(2026, 11, 2)
        assert s.exec(select(func.count()).select_from(ProfessioneelContactOnderwerp).where(
            ProfessioneelContactOnderwerp.professioneel_contact_id == rijen[0].id)).one() == 1
