"""`sleutelmonitor sso ...`: map identity-provider groups to organisations or regions, and see who signed in."""

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlmodel import Session

from app.core.config import get_settings
from app.models import Organisatie, SsoKoppeling
from app.sso import service
from app.toegang.caller import Scope, cli_caller
from app.toegang.cli import _moment, _uuid, err, out, unit_of_work

sso_app = typer.Typer(
    help="Eenmalige aanmelding (SSO): groepen van de identity provider koppelen aan een organisatie of regio.",
    no_args_is_help=True, rich_markup_mode=None,
)


def _binding(session: Session, koppeling: SsoKoppeling) -> str:
    if koppeling.organisatie_id is not None:
        organisatie = session.get(Organisatie, koppeling.organisatie_id)
        return f"organisatie {organisatie.naam if organisatie else koppeling.organisatie_id}"
    return f"regio {','.join(koppeling.gemeentecodes)}"


@sso_app.command("toevoegen")
def toevoegen(
    groep: Annotated[str, typer.Argument(help="De groep of rol zoals de identity provider hem in de claim zet (exact).")],
    scope: Annotated[list[Scope], typer.Option(
        "--scope", metavar="SCOPE",
        help="Scope (herhaalbaar), zoals bij een API-sleutel: organisatie registreren, inzien, rapporteren; "
        "regio rapporteren, signalen, goedkeuren.")],
    org: Annotated[str | None, typer.Option("--org", help="Id van de organisatie.")] = None,
    regio: Annotated[str | None, typer.Option(
        "--regio", help="Of: gemeentecodes van de regio, komma-gescheiden: GM0344,GM0307.")] = None,
) -> None:
    """Koppel een groep of rol aan een organisatie of regio, met scopes."""
    with unit_of_work() as session:
        gemeentecodes = [c.strip() for c in regio.split(",") if c.strip()] if regio else None
        koppeling = service.create(session, caller=cli_caller(), claim_waarde=groep, scopes=list(scope),
                                   organisatie_id=_uuid("--org", org), gemeentecodes=gemeentecodes)
        tekst = (f"Koppeling {koppeling.id} aangemaakt: groep {koppeling.claim_waarde} -> "
                 f"{_binding(session, koppeling)}, scopes {', '.join(koppeling.scopes)}.")
    out.print(tekst, markup=False)
    if not get_settings().sso_aan:
        err.print("Let op: SSO staat uit zolang SLEUTELMONITOR_SSO_ISSUER niet is ingesteld.", markup=False)


@sso_app.command("lijst")
def lijst() -> None:
    """Toon alle koppelingen."""
    with unit_of_work() as session:
        koppelingen = list(session.exec(service.list_query()))
        table = Table(title="SSO-koppelingen")
        for kop in ("groep", "binding", "scopes"):
            table.add_column(kop, overflow="fold")
        table.add_column("id", no_wrap=True, min_width=36)
        for k in koppelingen:
            table.add_row(escape(k.claim_waarde), escape(_binding(session, k)), ", ".join(k.scopes), str(k.id))
    out.print(table)


@sso_app.command("verwijderen")
def verwijderen(
    koppeling: Annotated[str, typer.Argument(help="Id van de koppeling (zie `sleutelmonitor sso lijst`).")],
) -> None:
    """Verwijder een koppeling; de sessies van wie zich ermee aanmeldde, eindigen direct."""
    with unit_of_work() as session:
        gevonden = service.get(session, koppeling_id=_uuid("koppeling", koppeling))  # type: ignore[arg-type]
        groep = gevonden.claim_waarde
        service.delete_koppeling(session, caller=cli_caller(), koppeling=gevonden)
    out.print(f"Koppeling voor groep {groep} verwijderd.", markup=False)


@sso_app.command("aanmeldingen")
def aanmeldingen(
    limiet: Annotated[int, typer.Option("--limiet", min=1, help="Toon hoogstens zoveel, de laatste eerst.")] = 50,
) -> None:
    """Wie zich via SSO aanmeldde of werd geweigerd (als hash, nooit de naam), de laatste eerst."""
    with unit_of_work() as session:
        rijen = list(session.exec(service.aanmeldingen_query().limit(limiet)))
        regels = []
        for record, sessie in rijen:
            einde = (sessie.einde if sessie else None) or ("afgemeld" if record.afgemeld_op else "-")
            regels.append("  ".join([_moment(record.tijdstip), f"{record.uitkomst:20}", (record.onderwerp or "-")[:16],
                                     record.claim_waarde or "-", einde]))
    if regels:
        out.print("tijd (UTC)        uitkomst              persoon (hash)    groep  einde", markup=False)
        for regel in regels:
            out.print(regel, markup=False)
    else:
        err.print("Nog geen aanmeldingen via SSO.")
