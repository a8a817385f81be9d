"""Loader for one project of the caller's organisation (404 for anyone else's)."""

from app.models import Project
from app.projecten import service
from app.toegang.scoping import loader

ProjectDep = loader(
    Project,
    lambda session, caller, record_id: service.get(session, caller=caller, project_id=record_id),
    pad="projectId",
    omschrijving="Identificatie van het project.",
    voorbeeld="0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d",
)
