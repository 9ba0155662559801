"""`kpis_evaluate --period YYYY-MM [--contract REF]`: evaluate contract months.

Runs kpis.evaluation.service.period_evaluate, the function the monthly job runs: without --contract,
every contract in force that month (so a missing report becomes a finding). A month whose
inputs and results are unchanged keeps its current revision; anything else is a new one.
"""

from django.core.management.base import BaseCommand, CommandError

from core import formatting
from kpis.evaluation.service import EvaluationRefused, Trigger, parse_period, period_evaluate


class Command(BaseCommand):
    help = "Evaluate a month of one contract, or of every contract in force that month."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the month, YYYY-MM")
        parser.add_argument(
            "--contract", action="append", default=[], metavar="REF",
            help="a contract reference (repeatable; default: every contract in force)",
        )  # fmt: skip

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
            done = period_evaluate(
                period=period, references=options["contract"], trigger=Trigger.COMMAND
            )
        except (EvaluationRefused, ValueError) as error:
            raise CommandError(str(error)) from None
        if not done:
            self.stdout.write(f"No contract is in force in {period:%Y-%m}.")
            return
        for item in done:
            evaluation = item.evaluation
            reference = evaluation.contract.reference
            what = "new revision" if item.created else "unchanged"
            charges = "not priced" if evaluation.charges is None else (
                f"charges {formatting.money(evaluation.charges, evaluation.currency)}, "
                f"credit {formatting.money(evaluation.credit_total, evaluation.currency)}"
            )  # fmt: skip
            self.stdout.write(
                f"{reference} {period:%Y-%m}: r{evaluation.revision} ({what}); {charges}; "
                f"{item.new_breaches} new breaches, {item.new_flags} new chronic flags, "
                f"{len(evaluation.findings)} findings"
            )
        created = sum(1 for item in done if item.created)
        self.stdout.write(f"{len(done)} contract months evaluated, {created} with a new revision.")
