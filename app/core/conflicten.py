"""Which kinds of 409 each operation can answer with (issue 28), for its `oneOf` in the OpenAPI document.

Read from the code: the `Conflict(..., code=...)` raises of each service (and `slot.controleer`, which raises
`periode-goedgekeurd`), followed up to the routes that call them. Every POST except those in
`idempotentiesleutel.ZONDER` can also answer the two `Idempotency-Key` kinds; `app/core/openapi.py` adds those
itself. A 409 without its own code is the general kind `conflict`.

Kept honest by tests/conflictwaarneming.py: every 409 a test of the suite receives must name a kind listed here
for its operation (the session fails otherwise), and tests/test_conflicten.py raises each kind on purpose.
"""

IDEMPOTENTIE = ("idempotency-key-hergebruikt", "idempotency-key-in-behandeling")
EXTERNID = ("externid-in-gebruik", "externid-andere-inhoud", "externid-verwijderd")
GOEDGEKEURD = "periode-goedgekeurd"

CONFLICTEN: dict[str, tuple[str, ...]] = {
    "createCode": ("bestaat-al",),
    "createSsoKoppeling": ("bestaat-al",),
    "updateCode": ("subcodes-actief", "hoofdcode-inactief"),
    "createContactmoment": (*EXTERNID, GOEDGEKEURD),
    "updateContactmoment": ("externid-in-gebruik", GOEDGEKEURD),
    "deleteContactmoment": (GOEDGEKEURD,),
    "createDoorverwijzing": ("externid-in-gebruik", "externid-andere-inhoud", GOEDGEKEURD, "conflict"),
    "updateDoorverwijzing": ("statusovergang", GOEDGEKEURD),
    "createUitkomst": (GOEDGEKEURD,),
    "updateEigenIndicator": ("conflict",),
    "createDoel": ("bestaat-al",),
    "deleteImport": ("conflict",),
    "createSignaal": EXTERNID,
    "updateSignaal": ("externid-in-gebruik", "statusovergang", "conflict"),
    "updateOntvangenSignaal": ("statusovergang",),
    "createBericht": ("externid-andere-inhoud",),
    "createOntvangenBericht": ("externid-andere-inhoud",),
    "createInzet": (*EXTERNID, GOEDGEKEURD),
    "updateInzet": (GOEDGEKEURD,),
    "deleteInzet": (GOEDGEKEURD,),
    "createDoelstelling": ("externid-andere-inhoud", "externid-verwijderd"),
    "createProfessioneelContact": (*EXTERNID, GOEDGEKEURD),
    "updateProfessioneelContact": (GOEDGEKEURD,),
    "deleteProfessioneelContact": (GOEDGEKEURD,),
    "goedkeurenPeriode": ("statusovergang",),
    "terugsturenPeriode": ("statusovergang",),
    "heropenenPeriode": ("statusovergang",),
    "indienenPeriode": ("statusovergang", "periode-loopt-nog"),
    "deleteProject": ("conflict",),
    "createKosten": (GOEDGEKEURD,),
    "updateKosten": (GOEDGEKEURD,),
    "deleteKosten": (GOEDGEKEURD,),
}
