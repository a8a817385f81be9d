"""Base classes for API schemas: camelCase on the wire, snake_case in Python."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class Schema(BaseModel):
    """Output schema base: attributes read from ORM objects, serialised with camelCase aliases."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, from_attributes=True, serialize_by_alias=True
    )


class InputSchema(Schema):
    """Input schema base: unknown fields are refused, so nothing unexpected (names, notes) slips in."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        from_attributes=True,
        serialize_by_alias=True,
        extra="forbid",
        str_strip_whitespace=True,
    )
