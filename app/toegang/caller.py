"""Who is calling: the authenticated API key, its scopes and its binding."""

import enum
import uuid
from dataclasses import dataclass


class Scope(enum.StrEnum):
    registreren = "registreren"  # write and read own records
    inzien = "inzien"  # read own records
    rapporteren = "rapporteren"  # indicators
    beheren = "beheren"  # administration: organisations, keys, code lists
    signalen = "signalen"  # regional: signals addressed to its gemeenten, their status and feedback
    goedkeuren = "goedkeuren"  # regional: reporting rhythms of its gemeenten; approve, send back, reopen periods
    gebeurtenissen = "gebeurtenissen"  # the event feed and webhook subscriptions (what the key may see)


# What each scope allows, for the OpenAPI document's security scheme (one line each, Dutch).
SCOPE_UITLEG: dict[str, str] = {
    Scope.registreren: "eigen records vastleggen, wijzigen en lezen (contactmomenten, signalen, inzet, ...).",
    Scope.inzien: "eigen records lezen.",
    Scope.rapporteren: "indicatoren opvragen (regionale sleutels: met onthullingscontrole en leesbudget).",
    Scope.beheren: "beheer: organisaties, API-sleutels en codelijsten.",
    Scope.signalen: "regionaal: signalen aan de eigen gemeenten lezen en beantwoorden.",
    Scope.goedkeuren: "regionaal: rapportageritmes van de eigen gemeenten vastleggen en rapportageperiodes "
    "goedkeuren, terugsturen of heropenen.",
    Scope.gebeurtenissen: "de gebeurtenissenfeed lezen en webhooks beheren, alleen voor wat de sleutel mag zien "
    "(regionaal: ontvangen signalen en rapportageperiodes van de eigen gemeenten). Inbegrepen bij `registreren`, "
    "`signalen` en `goedkeuren`.",
}


class Binding(enum.StrEnum):
    organisatie = "organisatie"
    regio = "regio"
    beheer = "beheer"
    # A key person's own device (the app at /app): one key person of one organisation, own records only.
    sleutelpersoon = "sleutelpersoon"


ALLOWED_SCOPES: dict[Binding, frozenset[Scope]] = {
    Binding.organisatie: frozenset({Scope.registreren, Scope.inzien, Scope.rapporteren, Scope.gebeurtenissen}),
    Binding.regio: frozenset({Scope.rapporteren, Scope.signalen, Scope.goedkeuren, Scope.gebeurtenissen}),
    Binding.beheer: frozenset({Scope.beheren, Scope.rapporteren}),
    Binding.sleutelpersoon: frozenset({Scope.registreren, Scope.inzien}),
}

# A scope that implies others: a key that may write may also read what it wrote.
# An administrator may do what a region does with reporting periods, for every gemeente.
# Who may write or answer records may also hear that they changed (the feed filters what each key sees).
IMPLIED: dict[Scope, frozenset[Scope]] = {
    Scope.registreren: frozenset({Scope.inzien, Scope.gebeurtenissen}),
    Scope.signalen: frozenset({Scope.gebeurtenissen}),
    Scope.goedkeuren: frozenset({Scope.gebeurtenissen}),
    Scope.beheren: frozenset({Scope.goedkeuren}),
}


@dataclass(frozen=True)
class Caller:
    sleutel_id: uuid.UUID | None
    scopes: frozenset[Scope]
    binding: Binding
    organisatie_id: uuid.UUID | None = None
    gemeentecodes: tuple[str, ...] = ()
    # A device session (Binding.sleutelpersoon): the key person it belongs to and the device itself.
    sleutelpersoon_id: uuid.UUID | None = None
    apparaat_id: uuid.UUID | None = None

    @property
    def is_apparaat(self) -> bool:
        return self.binding is Binding.sleutelpersoon

    def has(self, scope: Scope) -> bool:
        effective = set(self.scopes)
        for granted in self.scopes:
            effective |= IMPLIED.get(granted, frozenset())
        return scope in effective


def cli_caller() -> Caller:
    """The operator at the command line: an administrator without a key (audited as such)."""
    return Caller(sleutel_id=None, scopes=frozenset({Scope.beheren}), binding=Binding.beheer)
