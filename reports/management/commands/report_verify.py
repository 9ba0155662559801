"""manage.py report_verify FILE.pdf [--inputs FILE.json]: recompute a report from its data."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.domain.verify import UnreadableInputs, verify_document
from reports.services.verification import report_inputs_from_pdf


class Command(BaseCommand):
    help = _(
        "Recompute every figure of a report PDF from the JSON attached to it; prints 'match' "
        "or each figure that differs, naming its inputs. Exit 1 on a difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the report PDF (or, with --json, its inputs JSON)"))
        parser.add_argument(
            "--json",
            dest="from_json",
            action="store_true",
            help=_("FILE is the JSON extracted from a report"),
        )

    def handle(self, *args, file, from_json: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file") % {"file": file})
        try:
            document = _read_json(path) if from_json else report_inputs_from_pdf(path.read_bytes())
            differences = verify_document(document)
        except UnreadableInputs as error:
            raise CommandError(str(error)) from None
        if not differences:
            self.stdout.write(_("match"))
            return
        for difference in differences:
            self.stdout.write(str(difference))
        raise CommandError(
            _("%(count)d figure(s) differ from what the inputs give") % {"count": len(differences)}
        )


def _read_json(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise UnreadableInputs(_("the JSON cannot be read: %(e)s") % {"e": error}) from None
    if not isinstance(document, dict):
        raise UnreadableInputs(_("the JSON is not an object"))
    return document
