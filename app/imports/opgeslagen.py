"""An organisation's stored import mapping: the choices a coordinator made for unknown names, reused by
every later import of the organisation (dashboard, `POST /v1/imports`, and the CLI with `--opgeslagen-mapping`).

Stored as the sections of the YAML mapping file (see mapping.Mappingbestand), so the same mapping can
be written as a file, sent with an import, or kept here. "Aanmaken" puts a name under
`aanmaken: <veld>:`; "koppelen aan ..." puts it under `waarden: <veld>:` with the existing name.
"""

import uuid
from typing import Any

from sqlmodel import Session

from app.core import persoonsgegevens
from app.core.errors import OngeldigeInvoer
from app.imports.mapping import Mappingbestand, controleer_mapping
from app.imports.readers import LeesFout
from app.models import ImportMapping, utcnow
from app.toegang import audit
from app.toegang.caller import Caller

RESOURCE_TYPE = "import-mapping"
AANMAKEN = "aanmaken"


def laad(session: Session, *, organisatie_id: uuid.UUID) -> Mappingbestand | None:
    """The organisation's stored mapping, or None when it has none."""
    rij = session.get(ImportMapping, organisatie_id)
    if rij is None or not rij.inhoud:
        return None
    return Mappingbestand.model_validate(rij.inhoud)


def als_mapping(inhoud: Any, *, veld: str = "mapping") -> Mappingbestand:
    """A mapping sent by a client, checked as a mapping file is; 400 naming `veld` when it is not valid."""
    if not isinstance(inhoud, dict):
        raise OngeldigeInvoer.veld(veld, "Moet een object zijn met de secties kolommen, waarden, standaard, ketenpartners, aanmaken.")
    try:
        mapping = controleer_mapping(inhoud)
    except LeesFout as exc:
        raise OngeldigeInvoer.veld(veld, str(exc)) from None
    # Kept with the organisation and shown to coordinators: the one guard applies to every text in it.
    for tekst in _teksten(mapping.model_dump()):
        if gevonden := persoonsgegevens.vind(tekst):
            raise OngeldigeInvoer.veld(veld, persoonsgegevens.reden(gevonden))  # never echoes the text
    return mapping


def _teksten(waarde: Any) -> list[str]:
    if isinstance(waarde, str):
        return [waarde]
    if isinstance(waarde, dict):
        return [t for k, v in waarde.items() for t in (*_teksten(k), *_teksten(v))]
    if isinstance(waarde, list):
        return [t for v in waarde for t in _teksten(v)]
    return []


def sla_op(session: Session, *, caller: Caller, mapping: Mappingbestand) -> ImportMapping:
    """Store (replace) the caller's organisation's mapping; audited."""
    assert caller.organisatie_id is not None
    rij = session.get(ImportMapping, caller.organisatie_id)
    nieuw = rij is None
    if rij is None:
        rij = ImportMapping(organisatie_id=caller.organisatie_id)
    rij.inhoud = mapping.model_dump()
    rij.gewijzigd_op = utcnow()
    session.add(rij)
    session.flush()
    audit.log(session, caller=caller, actie="aangemaakt" if nieuw else "gewijzigd", resource_type=RESOURCE_TYPE,
              resource_id=caller.organisatie_id)
    return rij


def leg_keuzes_vast(
    session: Session, *, caller: Caller, keuzes: dict[str, dict[str, str]]
) -> Mappingbestand:
    """Add the preview's choices to the stored mapping and store it.

    `keuzes`: field (`sleutelpersoon` or `doorverwijzingen`) -> name in the file -> `aanmaken`, or the
    name of the existing key person or ketenpartner to link it to. An empty choice is left out.
    """
    assert caller.organisatie_id is not None
    huidig = laad(session, organisatie_id=caller.organisatie_id) or Mappingbestand()
    waarden = {veld: dict(paren) for veld, paren in huidig.waarden.items()}
    aanmaken = {veld: list(namen) for veld, namen in huidig.aanmaken.items()}
    for veld, namen in keuzes.items():
        for naam, keuze in namen.items():
            if not keuze:
                continue
            if keuze == AANMAKEN:
                aanmaken[veld] = list(dict.fromkeys([*aanmaken.get(veld, []), naam]))
                waarden.get(veld, {}).pop(naam, None)
            else:
                waarden.setdefault(veld, {})[naam] = keuze
                if naam in aanmaken.get(veld, []):
                    aanmaken[veld].remove(naam)
    mapping = huidig.model_copy(update={"waarden": waarden, "aanmaken": aanmaken})
    sla_op(session, caller=caller, mapping=mapping)
    return mapping
