"""The content of a contactmoment: one field table, and what derives from it.

The fingerprint (`inhoud_hash`), the rows of a new record (`nieuwe_rijen`), the public
representation (`publiek`) and the input a correction starts from (`als_invoer`) all read the
field table `VELDEN`, so a new column is one line here.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic.alias_generators import to_camel

from app.contactmomenten.afgeleid import afgeleide_kolommen
from app.contactmomenten.schemas import ContactmomentCreate, ContactmomentPublic, Inwoner
from app.core.config import get_settings
from app.core.security import pseudonymise
from app.doorverwijzingen.schemas import DoorverwijzingPublic
from app.uitkomsten.schemas import UitkomstPublic


@dataclass(frozen=True)
class Veld:
    """One own field of a contactmoment: the column (also the schemas' field name) and its API name."""

    kolom: str

    @property
    def api(self) -> str:
        return to_camel(self.kolom)


# The contactmoment's own fields a client sends and a correction may change, in API order.
VELDEN = tuple(
    Veld(kolom)
    for kolom in (
        "extern_id",
        "sleutelpersoon_id",
        "datum",
        "gemeentecode",
        "wijkcode",
        "kanaal",
        "soort",
        "aantal_deelnemers",
        "rol",
        "duur_minuten",
        "project_id",
    )
)
EIGEN_VELDEN = tuple(veld.kolom for veld in VELDEN)
# Resident characteristics: stored as flat columns of the same name, exposed as the `inwoner` object.
INWONER_VELDEN = ("leeftijdscategorie", "geslacht", "taal", "doelgroep")
# The fields of an embedded referral in the fingerprint: (attribute, API name).
VERWIJZING_VELDEN = tuple((naam, to_camel(naam)) for naam in ("ketenpartner_id", "onderwerp", "wijze", "status", "status_datum"))


@dataclass
class Kinderen:
    """The embedded children of one contactmoment: ORM rows, or row dicts as the writer wrote them."""

    onderwerpen: list[str] = field(default_factory=list)
    acties: list[str] = field(default_factory=list)
    doorverwijzingen: list[Any] = field(default_factory=list)
    uitkomst: Any | None = None


# Columns a row dict may leave out (writers that predate them: demo data, bench): their value is None.
WEGLAATBAAR = frozenset({"project_id"})


def _waarde(bron: Any, naam: str) -> Any:
    if isinstance(bron, dict):
        return bron.get(naam) if naam in WEGLAATBAAR else bron[naam]
    return getattr(bron, naam)


def _json(waarde: Any) -> Any:
    if isinstance(waarde, uuid.UUID):
        return str(waarde)
    if isinstance(waarde, date | datetime):
        return waarde.isoformat()
    return waarde


# --- Fingerprints and pseudonyms -------------------------------------------------------------


def referentie_hash(*, organisatie_id: uuid.UUID, referentie: str | None) -> str | None:
    """The pseudonym stored for a resident reference: HMAC under the organisation's key (None for none)."""
    if not referentie:
        return None
    return pseudonymise(get_settings().secret_key, organisatie_id, referentie)


def inhoud_hash(inhoud: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a contactmoment's content (see `inhoud_van_invoer`)."""
    canoniek = json.dumps(inhoud, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canoniek.encode()).hexdigest()


def _canoniek(inhoud: dict[str, Any]) -> dict[str, Any]:
    # A record without a project has the fingerprint it had before projects existed (issue 26), so a
    # retry of a contact posted then is still recognised as the same content.
    if inhoud.get("projectId") is None:
        inhoud.pop("projectId", None)
    # Order carries no meaning in these lists, so a retry that lists them differently is the same content.
    inhoud["onderwerpen"] = sorted(inhoud["onderwerpen"])
    inhoud["acties"] = sorted(inhoud["acties"])
    inhoud["doorverwijzingen"] = sorted(
        inhoud["doorverwijzingen"], key=lambda d: json.dumps(d, sort_keys=True, default=str)
    )
    return inhoud


def inhoud_van_invoer(data: ContactmomentCreate, *, inwoner_hash: str | None) -> dict[str, Any]:
    """Canonical content of a submitted contactmoment: defaults filled in, the reference replaced by its HMAC."""
    inhoud = data.model_dump(mode="json", by_alias=True)
    inhoud["inwonerReferentie"] = inwoner_hash
    inhoud["inwoner"] = inhoud["inwoner"] or {naam: None for naam in INWONER_VELDEN}
    for verwijzing in inhoud["doorverwijzingen"]:
        verwijzing["statusDatum"] = verwijzing["statusDatum"] or inhoud["datum"]
    return _canoniek(inhoud)


def inhoud_van_record(record: Any, kinderen: Kinderen) -> dict[str, Any]:
    """Canonical content of a stored contactmoment (ORM row or row dict), in the shape of `inhoud_van_invoer`."""
    inhoud: dict[str, Any] = {veld.api: _json(_waarde(record, veld.kolom)) for veld in VELDEN}
    inhoud["inwonerReferentie"] = _waarde(record, "inwoner_hash")
    inhoud["inwoner"] = {naam: _waarde(record, naam) for naam in INWONER_VELDEN}
    inhoud["onderwerpen"] = list(kinderen.onderwerpen)
    inhoud["acties"] = list(kinderen.acties)
    inhoud["doorverwijzingen"] = [
        {api: _json(_waarde(d, naam)) for naam, api in VERWIJZING_VELDEN} for d in kinderen.doorverwijzingen
    ]
    uitkomst = kinderen.uitkomst
    inhoud["uitkomst"] = {"resultaat": _waarde(uitkomst, "resultaat")} if uitkomst is not None else None
    return _canoniek(inhoud)


def velden_meegestuurd(data: ContactmomentCreate) -> list[str]:
    """The camelCase names of the fields the client sent (what `model_dump(exclude_unset=True)` would key)."""
    velden = ContactmomentCreate.model_fields
    return [velden[naam].alias or naam for naam in data.model_fields_set]


# --- Rows ------------------------------------------------------------------------------------


@dataclass
class Rijen:
    """Rows for the contactmoment tables, per table in foreign-key order: what the writer writes.

    `velden` holds, per contactmoment row, the fields named in its audit row.
    """

    contactmomenten: list[dict[str, Any]] = field(default_factory=list)
    onderwerpen: list[dict[str, Any]] = field(default_factory=list)
    acties: list[dict[str, Any]] = field(default_factory=list)
    doorverwijzingen: list[dict[str, Any]] = field(default_factory=list)
    statussen: list[dict[str, Any]] = field(default_factory=list)
    uitkomsten: list[dict[str, Any]] = field(default_factory=list)
    velden: list[list[str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.contactmomenten)

    def voeg_toe(self, andere: "Rijen") -> None:
        """Add another set of rows to this batch."""
        self.contactmomenten += andere.contactmomenten
        self.onderwerpen += andere.onderwerpen
        self.acties += andere.acties
        self.doorverwijzingen += andere.doorverwijzingen
        self.statussen += andere.statussen
        self.uitkomsten += andere.uitkomsten
        self.velden += andere.velden


def nieuwe_rijen(
    data: ContactmomentCreate,
    *,
    organisatie_id: uuid.UUID,
    sleutel_id: uuid.UUID | None,
    inwoner_hash: str | None,
    vingerafdruk: str,
    nu: datetime,
) -> Rijen:
    """Every row a new contactmoment consists of, with new ids; validation is the caller's."""
    inwoner = data.inwoner
    contactmoment_id = uuid.uuid4()
    verwijzingen = [
        {
            "id": uuid.uuid4(),
            "organisatie_id": organisatie_id,
            "contactmoment_id": contactmoment_id,
            "ketenpartner_id": d.ketenpartner_id,
            "onderwerp": d.onderwerp,
            "wijze": d.wijze,
            "status": d.status,
            "status_datum": d.status_datum or data.datum,
            "aangemaakt_op": nu,
            "gewijzigd_op": nu,
        }
        for d in data.doorverwijzingen
    ]
    contactmoment = {
        "id": contactmoment_id,
        "organisatie_id": organisatie_id,
        **{veld.kolom: getattr(data, veld.kolom) for veld in VELDEN},
        **{naam: getattr(inwoner, naam) if inwoner else None for naam in INWONER_VELDEN},
        "inwoner_hash": inwoner_hash,
        "inhoud_hash": vingerafdruk,
        "aangemaakt_op": nu,
        "gewijzigd_op": nu,
        "verwijderd_op": None,
    }
    # The contact's columns its topic rows and referrals carry (migration 0032); sent here, the database
    # need not look them up.
    for verwijzing in verwijzingen:
        verwijzing.update(afgeleide_kolommen(contactmoment, "doorverwijzing"))
    onderwerp_kopie = afgeleide_kolommen(contactmoment)
    return Rijen(
        contactmomenten=[contactmoment],
        onderwerpen=[{"contactmoment_id": contactmoment_id, "onderwerp": o, **onderwerp_kopie}
                     for o in sorted(data.onderwerpen)],
        acties=[{"contactmoment_id": contactmoment_id, "actie": a} for a in sorted(data.acties)],
        doorverwijzingen=verwijzingen,
        statussen=[
            {
                "doorverwijzing_id": v["id"],
                "status": v["status"],
                "status_datum": v["status_datum"],
                "vastgelegd_op": nu,
                "api_sleutel_id": sleutel_id,
            }
            for v in verwijzingen
        ],
        uitkomsten=[
            {
                "id": uuid.uuid4(),
                "organisatie_id": organisatie_id,
                "contactmoment_id": contactmoment_id,
                "doorverwijzing_id": None,
                "resultaat": data.uitkomst.resultaat,
                "datum": data.datum,
                "aangemaakt_op": nu,
            }
        ]
        if data.uitkomst is not None
        else [],
        velden=[sorted(velden_meegestuurd(data))],
    )


# --- Representation --------------------------------------------------------------------------


def publiek(record: Any, kinderen: Kinderen) -> ContactmomentPublic:
    """The public representation of an ORM row or a row dict: never the resident reference or its hash."""
    return ContactmomentPublic(
        id=_waarde(record, "id"),
        **{veld.kolom: _waarde(record, veld.kolom) for veld in VELDEN},
        heeft_inwoner_referentie=_waarde(record, "inwoner_hash") is not None,
        inwoner=Inwoner(**{naam: _waarde(record, naam) for naam in INWONER_VELDEN}),
        onderwerpen=list(kinderen.onderwerpen),
        acties=list(kinderen.acties),
        doorverwijzingen=[DoorverwijzingPublic.model_validate(d) for d in kinderen.doorverwijzingen],
        uitkomst=UitkomstPublic.model_validate(kinderen.uitkomst) if kinderen.uitkomst is not None else None,
        aangemaakt_op=_waarde(record, "aangemaakt_op"),
        gewijzigd_op=_waarde(record, "gewijzigd_op"),
    )


def als_invoer(record: Any, kinderen: Kinderen) -> dict[str, Any]:
    """The stored record in the shape of a ContactmomentCreate body (without reference and referrals)."""
    invoer: dict[str, Any] = {veld.api: _waarde(record, veld.kolom) for veld in VELDEN}
    invoer["inwoner"] = {naam: _waarde(record, naam) for naam in INWONER_VELDEN}
    invoer["onderwerpen"] = list(kinderen.onderwerpen)
    invoer["acties"] = list(kinderen.acties)
    return invoer
