"""The partner flow through the Python client of openapi-generator, without leaving the typed client.

    openapi-generator-cli generate -i openapi/openapi.json -g python -o . --package-name sleutelmonitor_openapi \
        --additional-properties=generateSourceCodeOnly=true
    SLEUTELMONITOR_URL=http://127.0.0.1:8000/v1 SLEUTELMONITOR_KEY=smk_... python examples/clients/python_openapi_generator.py

The key needs scopes registreren, inzien and rapporteren; the organisation must serve GM0344 (tests/test_gegenereerde_client.py).
Problems come back as exceptions whose `data` is the typed problem of that status; response headers are a plain
dict with the names as the server sent them (lower case).
"""

import os
import time
from datetime import date
from typing import Any

from sleutelmonitor_openapi import (ApiClient, ApiException, ContactmomentCreate,
                                    ContactmomentenApi, Configuration, DoorverwijzingCreate, DoorverwijzingenApi,
                                    DoorverwijzingUpdate, ImportsApi, IndicatorenApi, KetenpartnerCreate, KetenpartnersApi,
                                    SleutelpersonenApi, SleutelpersoonCreate, StatusovergangProblem, VersieProblem)
from sleutelmonitor_openapi.exceptions import ConflictException

LOGBOEK = "Datum;Sleutelpersoon;Gemeente;Kanaal;Onderwerp\r\n14-3-2025;Amal B.;GM0344;Persoonlijk;Toeslagen\r\n".encode("utf-8-sig")


def partnerflow(api: ApiClient) -> dict[str, Any]:
    persoon = SleutelpersonenApi(api).create_sleutelpersoon(SleutelpersoonCreate(weergavenaam="Amal B.", gemeentecode="GM0344"))
    partner = KetenpartnersApi(api).create_ketenpartner(KetenpartnerCreate(naam="Huisartsenpraktijk Zuid", categorie="huisarts"))
    contact = ContactmomentCreate(extern_id="crm-1", sleutelpersoon_id=persoon.id, datum=date(2025, 3, 14), gemeentecode="GM0344",
                                  kanaal="persoonlijk", onderwerpen=["geld.toeslagen"],
                                  doorverwijzingen=[DoorverwijzingCreate(ketenpartner_id=partner.id, wijze="warm")])
    eerste = ContactmomentenApi(api).create_contactmoment_with_http_info(contact)
    nog_eens = ContactmomentenApi(api).create_contactmoment_with_http_info(contact)  # a retry: the stored record, 200

    verwijzingen = DoorverwijzingenApi(api)
    verwijzing_id = eerste.data.doorverwijzingen[0].id
    oud = verwijzingen.get_doorverwijzing_with_http_info(verwijzing_id).headers["etag"]
    verder = verwijzingen.update_doorverwijzing_with_http_info(verwijzing_id, DoorverwijzingUpdate(status="aangekomen"), if_match=oud)
    try:
        verwijzingen.update_doorverwijzing(verwijzing_id, DoorverwijzingUpdate(status="voorgesteld"), if_match=verder.headers["etag"])
    except ConflictException as fout:
        terug = fout.data.actual_instance  # a 409 is one of its kinds (oneOf); this one a status transition
    try:
        verwijzingen.update_doorverwijzing(verwijzing_id, DoorverwijzingUpdate(status="afgerond"), if_match=oud)
    except ApiException as fout:
        verouderd = fout.data
    assert isinstance(terug, StatusovergangProblem) and isinstance(verouderd, VersieProblem)

    imports = ImportsApi(api)
    run = imports.create_import(bestand=("logboek.csv", LOGBOEK), per_rij=True)
    while run.status in ("wachtend", "bezig"):
        time.sleep(1)
        run = imports.get_import(run.id)

    indicatoren, vraag = IndicatorenApi(api), {"periode": "2025", "groeperen_op": "gemeente"}
    waarden = indicatoren.get_indicator_waarden("aantal-contactmomenten", **vraag)
    tabel = indicatoren.get_indicator_waarden_csv("aantal-contactmomenten", **vraag)
    werkmap = indicatoren.get_indicator_waarden_xlsx("aantal-contactmomenten", **vraag)
    return {"statussen": [eerste.status_code, nog_eens.status_code, verder.status_code, terug.status, verouderd.status],
            "zelfde": eerste.data.id == nog_eens.data.id, "toegestaan": sorted(terug.toegestane_statussen),
            "import": [run.status, run.aangemaakt], "waarden": [r.waarde for r in waarden.rijen],
            "csv": tabel, "xlsx": bytes(werkmap)}


if __name__ == "__main__":
    with ApiClient(Configuration(host=os.environ["SLEUTELMONITOR_URL"], access_token=os.environ["SLEUTELMONITOR_KEY"])) as client:
        uitkomst = partnerflow(client)
    print({**uitkomst, "xlsx": f"{len(uitkomst['xlsx'])} bytes"})
