"""Base classes for API schemas: camelCase on the wire, snake_case in Python."""

import time
from functools import lru_cache
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from app.core import persoonsgegevens, spans
from app.core.errors import validation_params

M = TypeVar("M", bound=BaseModel)


class Schema(BaseModel):
    """Output schema base: attributes read from ORM objects, serialised with camelCase aliases."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, from_attributes=True, serialize_by_alias=True
    )


class GeenBsn(BaseModel):
    """Every string a client writes, in any field of a schema with this base, is refused when it holds
    personal data: a BSN, e-mail address, phone number, IBAN or postcode with house number.

    The one guard (app.core.persoonsgegevens) for every field at once, so a new field is covered
    without anyone remembering to: codes, labels, names, references alike. Identifiers typed
    `IdZonderPersoonsgegevens` keep their own rule (`vind_in_id`: a BSN- or phone-like run inside a
    longer id is allowed there). The name is historical: the base once checked for a BSN only.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _geen_persoonsgegevens(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None or _eigen_regel(cls, info.field_name):
            return value
        begin = time.perf_counter_ns() if spans.aan() else 0
        teksten = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple | set) else []
        gevonden: list[persoonsgegevens.Soort] = []
        for tekst in teksten:
            gevonden += [soort for soort in persoonsgegevens.vind(tekst) if soort not in gevonden]
        if begin:
            spans.tel("privacybewaker", time.perf_counter_ns() - begin)
        if gevonden:
            raise ValueError(persoonsgegevens.reden(gevonden))
        return value


@lru_cache(maxsize=None)
def _eigen_regel(cls: type[BaseModel], naam: str) -> bool:
    """True when the field's type runs the guard itself: free text and names (`VrijeTekst`, `Naam`), or
    an identifier with its own rule (`IdZonderPersoonsgegevens`)."""
    veld = cls.model_fields.get(naam)
    return veld is not None and persoonsgegevens.heeft_eigen_controle(veld.annotation, veld.metadata)


class InputSchema(GeenBsn, Schema):
    """Input schema base: unknown fields are refused, so nothing unexpected (names, notes) slips in."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        from_attributes=True,
        serialize_by_alias=True,
        extra="forbid",
        str_strip_whitespace=True,
    )


_ONTBREEKT = object()


def alle_fouten(model: type[M]) -> type[M]:
    """The input schema `model`, but a body that fails it still arrives, carrying its errors.

    FastAPI answers a schema error before the route runs, so code-list, ownership and cross-field
    errors would only come on the next try. A route that takes this type gets the valid fields
    (failed ones are None) and `schemafouten(body)`; its service adds its own rules' problems and
    raises one 400 with all of them. The schema (and so the OpenAPI document) is the model's own.
    """

    def verzamel(cls: Any, data: Any, handler: Any) -> Any:
        with spans.span("validatie"):
            try:
                return handler(data)
            except ValidationError as exc:
                if not isinstance(data, dict):
                    raise
                return _gedeeltelijk(cls, data, exc)

    # Made with the model's own name and module, so the OpenAPI document names the schema as before.
    namespace = {
        "__module__": model.__module__,
        "__qualname__": model.__qualname__,
        "__doc__": model.__doc__,
        "__annotations__": {"_schemafouten": list[dict[str, str]]},
        "_schemafouten": PrivateAttr(default_factory=list),
        "_verzamel": model_validator(mode="wrap")(classmethod(verzamel)),  # type: ignore[arg-type]
    }
    return type(model)(model.__name__, (model,), namespace)  # type: ignore[return-value]


def _gedeeltelijk(cls: Any, data: dict[str, Any], exc: ValidationError) -> Any:
    """The fields of `data` that are valid on their own; failed and missing required ones are None."""
    namen = {veld.alias or naam: naam for naam, veld in cls.model_fields.items()}
    fout = {namen.get(str(e["loc"][0]), str(e["loc"][0])) for e in exc.errors() if e["loc"]}
    waarden: dict[str, Any] = {}
    for naam, veld in cls.model_fields.items():
        waarde = data.get(veld.alias or naam, data.get(naam, _ONTBREEKT))
        if naam in fout or (waarde is _ONTBREEKT and veld.is_required()):
            waarden[naam] = None
        elif waarde is not _ONTBREEKT:
            waarden[naam] = _veld_adapter(cls, naam).validate_python(waarde)
    gedeeltelijk = cls.model_construct(**waarden)
    gedeeltelijk._schemafouten = validation_params(exc.errors())
    return gedeeltelijk


@lru_cache(maxsize=256)
def _veld_adapter(model: type[BaseModel], naam: str) -> TypeAdapter[Any]:
    veld = model.model_fields[naam]
    if not veld.metadata:
        return TypeAdapter(veld.annotation)
    return TypeAdapter(Annotated[(veld.annotation, *veld.metadata)])  # type: ignore[arg-type]


def schemafouten(body: BaseModel) -> list[dict[str, str]]:
    """The schema errors a body of an `alle_fouten` type arrived with (none for any other body)."""
    return list(getattr(body, "_schemafouten", None) or [])
