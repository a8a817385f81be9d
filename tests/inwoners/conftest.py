from tests.contactmomenten.factories import andere, omgeving  # noqa: F401  (fixtures)
