"""The Alembic migrations of Sleutelmonitor, shipped as a package so an installed service can migrate."""
