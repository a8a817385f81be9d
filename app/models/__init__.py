"""All tables, re-exported so Alembic and services see one metadata."""

from app.models.base import SQLModel, UtcDateTime, utcnow  # noqa: F401  (sets naming convention first)
from app.models.api_sleutel import ApiSleutel
from app.models.apparaat import Apparaat, Uitnodiging
from app.models.audit_regel import AuditRegel
from app.models.code import Code
from app.models.dashboard_sessie import Aanmeldpoging, DashboardSessie
from app.models.sso import SsoAanmelding, SsoGebruiker, SsoKoppeling
from app.models.contactmoment import Contactmoment, ContactmomentActie, ContactmomentOnderwerp
from app.models.doel import Doel
from app.models.doelstelling import Besluit, Doelstelling, Evaluatie, EvaluatieDoelstelling
from app.models.doorverwijzing import Doorverwijzing, DoorverwijzingStatus
from app.models.gebeurtenis import Gebeurtenis, GebeurtenisTeller, Webhook, WebhookAflevering
from app.models.eigen_indicator import EigenIndicator, EigenIndicatorVersie
from app.models.ervaringsverhaal import Ervaringsverhaal, ErvaringsverhaalEffect, ErvaringsverhaalOnderwerp
from app.models.idempotentie_sleutel import IdempotentieSleutel
from app.models.import_mapping import ImportMapping
from app.models.import_run import ImportRun
from app.models.import_upload import ImportUpload, ImportUploadBlok, RateLimitTeller
from app.models.inzet import Inzet
from app.models.ketenpartner import Ketenpartner
from app.models.kosten import Kosten
from app.models.lees_audit import LeesAudit
from app.models.maandafspraak import Maandafspraak
from app.models.ondersteuning import (
    DeskundigheidDeelnemer,
    Deskundigheidsbevordering,
    Dienstverband,
    Gesprek,
    Ontwikkeldoel,
)
from app.models.organisatie import Organisatie
from app.models.project import Project
from app.models.professioneel_contact import ProfessioneelContact, ProfessioneelContactOnderwerp
from app.models.rapportage import (
    RapportageHistorie,
    Rapportageritme,
    RapportageritmeOrganisatie,
    Rapportagestatus,
)
from app.models.signaal import Signaal, SignaalBericht, SignaalOnderwerp, SignaalStatus
from app.models.sleutelpersoon import Sleutelpersoon
from app.models.uitkomst import Uitkomst

__all__ = [
    "Gebeurtenis",
    "GebeurtenisTeller",
    "IdempotentieSleutel",
    "ImportUpload",
    "ImportUploadBlok",
    "RateLimitTeller",
    "Aanmeldpoging",
    "ApiSleutel",
    "Apparaat",
    "AuditRegel",
    "Besluit",
    "Code",
    "Contactmoment",
    "ContactmomentActie",
    "ContactmomentOnderwerp",
    "DashboardSessie",
    "SsoAanmelding",
    "SsoGebruiker",
    "SsoKoppeling",
    "DeskundigheidDeelnemer",
    "Deskundigheidsbevordering",
    "Dienstverband",
    "Doel",
    "Doelstelling",
    "Doorverwijzing",
    "DoorverwijzingStatus",
    "EigenIndicator",
    "EigenIndicatorVersie",
    "Ervaringsverhaal",
    "ErvaringsverhaalEffect",
    "ErvaringsverhaalOnderwerp",
    "Evaluatie",
    "EvaluatieDoelstelling",
    "Gesprek",
    "ImportMapping",
    "ImportRun",
    "Inzet",
    "Ketenpartner",
    "Kosten",
    "LeesAudit",
    "Maandafspraak",
    "Ontwikkeldoel",
    "Organisatie",
    "ProfessioneelContact",
    "ProfessioneelContactOnderwerp",
    "RapportageHistorie",
    "Rapportageritme",
    "RapportageritmeOrganisatie",
    "Rapportagestatus",
    "Project",
    "SQLModel",
    "Signaal",
    "SignaalBericht",
    "SignaalOnderwerp",
    "SignaalStatus",
    "Sleutelpersoon",
    "Uitkomst",
    "Webhook",
    "WebhookAflevering",
    "Uitnodiging",
    "UtcDateTime",
    "utcnow",
]
