"""The verantwoording's section on the status of the reporting periods (issue 27, parts 1-3): which of the
region's periods within the report's period the organisation submitted, and which the region approved."""

from app.rapportage import service as rapportage
from app.verantwoording.service import Context, Kolom, Sectie, Soort

STATUS = {"open": "Open", "ingediend": "Ingediend", "goedgekeurd": "Goedgekeurd", "teruggestuurd": "Teruggestuurd",
          "heropend": "Heropend"}


def periodestatus(context: Context) -> Sectie:
    """The organisation's reporting periods that lie within the report's period, with status and timeliness."""
    sectie = Sectie(
        code="Status", titel="Status van de rapportageperiodes",
        inleiding="De rapportageperiodes van het rapportageritme van de regio die in deze periode vallen: of de "
                  "organisatie ze heeft ingediend, of de regio ze heeft goedgekeurd, en of er op tijd is ingediend.",
        kolommen=[Kolom("Periode"), Kolom("Ritme"), Kolom("Status"), Kolom("Deadline", Soort.datum),
                  Kolom("Op tijd"), Kolom("Ingediend op", Soort.datum), Kolom("Goedgekeurd op", Soort.datum)],
        leeg="Geen rapportageperiodes van een regio in deze periode (de organisatie heeft geen rapportageritme).",
    )
    p = context.periode
    vakken = [v for v in rapportage.eigen_vakken(context.session, caller=context.caller)
              if v.periode.vanaf >= p.vanaf and v.periode.tot <= p.tot]
    for r in sorted(rapportage.publiek(context.session, vakken), key=lambda r: (r.vanaf, r.ritme_naam)):
        status = str(getattr(r.status, "value", r.status))
        sectie.rijen.append([
            r.periode, r.ritme_naam, STATUS.get(status, status), r.deadline,
            {True: "ja", False: "nee", None: "nog niet"}[r.tijdig],
            r.ingediend_op.date() if r.ingediend_op else None, r.goedgekeurd_op.date() if r.goedgekeurd_op else None,
        ])
    return sectie
