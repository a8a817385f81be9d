"""`sleutelmonitor org ...` and `sleutelmonitor key ...`: administration from the command line.

Each command is one unit of work: it opens its own session, calls the same service functions as
the API (as `cli_caller()`, audited without a key id) and commits once at the end.
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlmodel import Session, col, select

from app.core.db import get_engine
from app.core.errors import DomeinFout, OngeldigeInvoer, validation_params
from app.models import ApiSleutel, Organisatie
from app.organisaties import service as organisaties
from app.organisaties.schemas import OrganisatieCreate, OrganisatiePublic
from app.toegang import service
from app.toegang.caller import Scope, cli_caller

org_app = typer.Typer(help="Organisaties beheren.", no_args_is_help=True, rich_markup_mode=None)
key_app = typer.Typer(help="API-sleutels beheren.", no_args_is_help=True, rich_markup_mode=None)

# Results go to stdout (so `TOKEN=$(sleutelmonitor key create ...)` works); messages to stderr.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def open_session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


# The seam for tests: replace with a factory that returns the test's session.
session_factory: Callable[[], Session] = open_session


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction per command; a DomeinFout becomes its Dutch detail on stderr and exit code 1."""
    session = session_factory()
    try:
        yield session
        session.commit()
    except DomeinFout as fout:
        session.rollback()
        params = fout.invalid_params or []
        if len(params) == 1 and params[0]["reason"] == fout.detail:
            err.print(f"[bold red]Fout[/] in {escape(params[0]['name'])}: {escape(fout.detail)}")
        else:
            err.print(f"[bold red]Fout:[/] {escape(fout.detail)}")
            for param in params:
                err.print(f"  - {escape(param['name'])}: {escape(param['reason'])}")
        raise typer.Exit(1) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _moment(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _uuid(option: str, value: str | None) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise OngeldigeInvoer.veld(option, f"`{value}` is geen geldig id (UUID).") from None


@org_app.command("create")
def org_create(
    naam: Annotated[str, typer.Option("--naam", help="Naam van de organisatie.")],
    soort: Annotated[str, typer.Option("--soort", help="Soort, uit codelijst organisatie-soort (bijv. ggd, gemeente).")],
    gemeente: Annotated[
        list[str], typer.Option("--gemeente", help="Gemeentecode waarin de organisatie werkt (herhaalbaar), bijv. GM0344.")
    ],
) -> None:
    """Maak een organisatie aan en toon haar als JSON."""
    with unit_of_work() as session:
        try:
            invoer = OrganisatieCreate(naam=naam, soort=soort, gemeentecodes=gemeente)
        except ValidationError as exc:
            raise OngeldigeInvoer(
                "De invoer is ongeldig.", invalid_params=validation_params(exc.errors())
            ) from None
        organisatie = organisaties.create_organisatie(
            session, caller=cli_caller(), naam=invoer.naam, soort=invoer.soort, gemeentecodes=invoer.gemeentecodes
        )
        result = OrganisatiePublic.model_validate(organisatie).model_dump_json(indent=2)
    out.print_json(result)


@org_app.command("list")
def org_list() -> None:
    """Toon alle organisaties."""
    with unit_of_work() as session:
        rows = organisaties.list_organisaties(session, caller=cli_caller())
        table = Table(title="Organisaties")
        for kop in ("naam", "soort", "gemeenten", "actief"):
            table.add_column(kop, overflow="fold")
        # Ids are what other commands take (`key create --org`), so never truncate them.
        table.add_column("id", no_wrap=True, min_width=36)
        for o in rows:
            table.add_row(escape(o.naam), o.soort, ", ".join(o.gemeentecodes), "ja" if o.actief else "nee", str(o.id))
    out.print(table)


def _binding(session: Session, key: ApiSleutel) -> str:
    if key.beheer:
        return "beheer"
    if key.organisatie_id is not None:
        organisatie = session.get(Organisatie, key.organisatie_id)
        return f"organisatie {organisatie.naam if organisatie else key.organisatie_id}"
    return f"regio {','.join(key.gemeentecodes)}"


@key_app.command("create")
def key_create(
    scope: Annotated[list[Scope], typer.Option(
        "--scope", metavar="SCOPE",
        help=f"Scope (herhaalbaar): {', '.join(s.value for s in Scope)}. `signalen` alleen met --regio: signalen aan die gemeenten ontvangen en terugkoppelen; `goedkeuren` alleen met --regio: rapportageperiodes goedkeuren.",
    )],
    org: Annotated[str | None, typer.Option("--org", help="Id van de organisatie waaraan de sleutel gebonden is.")] = None,
    regio: Annotated[
        str | None, typer.Option("--regio", help="Gemeentecodes voor een regionale sleutel (rapporteren, signalen), komma-gescheiden: GM0344,GM0340.")
    ] = None,
    beheer: Annotated[bool, typer.Option("--beheer", help="Maak een beheersleutel.")] = False,
    naam: Annotated[str | None, typer.Option("--naam", help="Herkenbare naam van de sleutel.")] = None,
    verloopt: Annotated[
        datetime | None, typer.Option("--verloopt", formats=["%Y-%m-%d"], help="Laatste geldige dag (JJJJ-MM-DD).")
    ] = None,
) -> None:
    """Maak een API-sleutel aan; de sleutel wordt maar een keer getoond."""
    with unit_of_work() as session:
        gemeentecodes = [c.strip() for c in regio.split(",") if c.strip()] if regio else None
        key, token = service.create_key(
            session,
            caller=cli_caller(),
            naam=naam or f"sleutel {datetime.now().strftime('%Y-%m-%d %H:%M')}",
            scopes=list(scope),
            organisatie_id=_uuid("--org", org),
            gemeentecodes=gemeentecodes,
            beheer=beheer,
            verloopt_op=verloopt.date() if verloopt else None,
        )
        beschrijving = (
            f"API-sleutel {key.prefix} ({key.naam}) aangemaakt: {_binding(session, key)}, "
            f"scopes {', '.join(key.scopes)}"
            + (f", verloopt na {key.verloopt_op.isoformat()}" if key.verloopt_op else "")
            + "."
        )
    err.print(beschrijving, markup=False)
    err.print("[bold yellow]Let op:[/] deze sleutel wordt maar een keer getoond; bewaar hem nu veilig.")
    out.print(token, markup=False)


@key_app.command("list")
def key_list(
    org: Annotated[str | None, typer.Option("--org", help="Alleen sleutels van deze organisatie (id).")] = None,
) -> None:
    """Toon alle API-sleutels (nooit het geheim)."""
    with unit_of_work() as session:
        keys = service.list_keys(session, organisatie_id=_uuid("--org", org))
        table = Table(title="API-sleutels (tijden in UTC)")
        table.add_column("prefix", no_wrap=True)
        for kop in ("naam", "binding", "scopes"):
            table.add_column(kop, overflow="fold")
        for kop in ("verloopt", "ingetrokken", "laatst gebruikt"):
            table.add_column(kop, overflow="fold", min_width=10)
        for key in keys:
            table.add_row(
                key.prefix,
                escape(key.naam),
                escape(_binding(session, key)),
                ", ".join(key.scopes),
                key.verloopt_op.isoformat() if key.verloopt_op else "-",
                _moment(key.ingetrokken_op),
                _moment(key.laatst_gebruikt_op),
            )
    out.print(table)


@key_app.command("revoke")
def key_revoke(
    sleutel: Annotated[str, typer.Argument(help="Id of prefix (smk_...) van de sleutel.")],
) -> None:
    """Trek een API-sleutel in; daarna geeft elk verzoek ermee 401."""
    with unit_of_work() as session:
        key = service.get_key(session, key_id_or_prefix=sleutel)
        already = key.ingetrokken_op is not None
        key = service.revoke_key(session, caller=cli_caller(), key=key)
        moment = _moment(key.ingetrokken_op) + " UTC"
    if already:
        err.print(f"API-sleutel {key.prefix} was al ingetrokken op {moment}.", markup=False)
    else:
        out.print(f"API-sleutel {key.prefix} ({key.naam}) ingetrokken op {moment}.", markup=False)


toegang_app = typer.Typer(help="Toegang bewaken: wie leest welke cijfers.", no_args_is_help=True, rich_markup_mode=None)


@toegang_app.command("leespatronen")
def leespatronen(
    vanaf: Annotated[datetime | None, typer.Option(
        "--vanaf", formats=["%Y-%m-%d"], help="Eerste dag (JJJJ-MM-DD); standaard vandaag.")] = None,
    tot: Annotated[datetime | None, typer.Option(
        "--tot", formats=["%Y-%m-%d"], help="Laatste dag, inclusief; standaard gelijk aan --vanaf.")] = None,
    minimum: Annotated[int, typer.Option(
        "--minimum", min=0,
        help="Toon sleutels met minstens zoveel bijna-dubbele paren tabellen op een dag (0: elke sleutel die las).",
    )] = 10,
) -> None:
    """Sleutels met verdachte leespatronen: veel tabellen die op een dag of een filterwaarde na gelijk zijn.

    Zo'n paar is de vorm van een verschil- of middelingsaanval op kleine aantallen (docs/onderdrukking.md);
    een gebruiker van het dashboard maakt ze niet. Leest alleen de leesaudit, nooit cijfers.
    """
    from app.core.validation import vandaag
    from app.indicatoren import lezingen

    eerste = vanaf.date() if vanaf else vandaag()
    laatste = tot.date() if tot else eerste
    with unit_of_work() as session:
        if laatste < eerste:
            raise OngeldigeInvoer.veld("--tot", "--tot ligt voor --vanaf.")
        patronen = [p for p in lezingen.leespatronen(session, vanaf=eerste, tot=laatste) if p.buren >= minimum]
        sleutels = {k.id: k for k in session.exec(
            select(ApiSleutel).where(col(ApiSleutel.id).in_({p.api_sleutel_id for p in patronen})))}
        table = Table(title=f"Leespatronen {eerste.isoformat()} t/m {laatste.isoformat()} (minstens {minimum} paren)")
        table.add_column("sleutel", no_wrap=True)
        for kop in ("naam", "binding"):
            table.add_column(kop, overflow="fold")
        table.add_column("dag", no_wrap=True)
        for kop in ("tabellen", "paren: een dag", "paren: een waarde", "geweigerd"):
            table.add_column(kop, justify="right")
        table.add_column("voorbeeld", overflow="fold")
        for p in patronen:
            key = sleutels.get(p.api_sleutel_id)
            table.add_row(
                key.prefix if key else str(p.api_sleutel_id),
                escape(key.naam) if key else "-",
                escape(_binding(session, key)) if key else "-",
                p.dag.isoformat(),
                str(p.tabellen),
                str(p.dag_buren),
                str(p.waarde_buren),
                ", ".join(f"{reden}: {n}" for reden, n in sorted(p.geweigerd.items())) or "-",
                escape(p.voorbeeld or "-"),
            )
    if patronen:
        out.print(table)
    else:
        err.print(f"Geen sleutel met minstens {minimum} bijna-dubbele paren tabellen in deze periode.")


@toegang_app.command("lezingen")
def lezingen_van(
    sleutel: Annotated[str, typer.Argument(help="Id of prefix (smk_...) van de sleutel.")],
    dag: Annotated[datetime | None, typer.Option(
        "--dag", formats=["%Y-%m-%d"], help="De dag (JJJJ-MM-DD, Nederlandse tijd); standaard vandaag.")] = None,
    limiet: Annotated[int, typer.Option("--limiet", min=1, help="Toon hoogstens zoveel lezingen, de laatste eerst.")] = 200,
) -> None:
    """De lezingen van een sleutel op een dag: welke tabellen, wanneer, nieuw of herhaald, geweigerd; nooit cijfers."""
    from app.core.validation import TIJDZONE, vandaag
    from app.models import LeesAudit

    gekozen = dag.date() if dag else vandaag()
    with unit_of_work() as session:
        key = service.get_key(session, key_id_or_prefix=sleutel)
        waar = (col(LeesAudit.api_sleutel_id) == key.id) & (col(LeesAudit.dag) == gekozen)
        rijen = list(session.exec(select(LeesAudit).where(waar).order_by(col(LeesAudit.id).desc()).limit(limiet)))
        # One line per read, the last first: readable in a narrow terminal and easy to grep.
        regels = []
        for rij in rijen:
            p = rij.parameters
            telt = "nieuw" if rij.nieuw else "herhaald" if rij.geweigerd is None else "geweigerd"
            delen = [rij.tijdstip.astimezone(TIJDZONE).strftime("%H:%M:%S"), f"{telt:9}", rij.indicator,
                     f"{p.get('vanaf')} t/m {p.get('tot')}"]
            if p.get("interval"):
                delen.append(f"interval={p['interval']}")
            if p.get("groeperenOp"):
                delen.append(f"groeperenOp={','.join(p['groeperenOp'])}")
            delen += [f"{k}={','.join(v)}" for k, v in p.get("filters", {}).items()]
            if rij.geweigerd:
                delen.append(f"({rij.geweigerd})")
            regels.append("  ".join(delen))
    if regels:
        out.print(f"Lezingen van {key.prefix} ({key.naam}) op {gekozen.isoformat()}, de laatste eerst:", markup=False)
        for regel in regels:
            out.print(regel, markup=False)
    else:
        err.print(f"Geen lezingen van {key.prefix} op {gekozen.isoformat()}.")
