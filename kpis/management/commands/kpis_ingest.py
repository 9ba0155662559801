"""`kpis_ingest FILE [--user NAME]`: ingest a KPI file by the same path as an upload.

The command creates the KpiUpload row like the page and the API do, then runs the domain
function the Celery task runs (kpis.ingestion.service.kpi_upload_ingest) in this process, so it
needs no worker and prints the outcome when it returns. Exit status: 0 ingested (or a duplicate
of an earlier upload), 1 refused, 2 not processed because the database was unavailable (the
upload stays queued and the re-queue job hands it to a worker later).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from contracts.models import Contract
from core.jobs import TRANSIENT_ERRORS
from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
from kpis.models import KpiUpload

User = get_user_model()


class Command(BaseCommand):
    help = "Ingest a KPI file (CSV or XLSX) the way an upload is ingested; exit 1 if refused."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the KPI file")
        parser.add_argument(
            "--user", help="the uploader; a vendor user may name only its own contracts "
            "(default: none, any contract)"
        )  # fmt: skip

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        with path.open("rb") as handle:
            try:
                upload = kpi_upload_create(file=File(handle, name=path.name), name=path.name,
                                           user=user, source=KpiUpload.Source.COMMAND,
                                           queue=False)  # fmt: skip
            except ValidationError as error:
                raise CommandError(" ".join(error.messages), returncode=1) from None
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
        if upload.status == KpiUpload.Status.QUEUED:
            try:
                kpi_upload_ingest(upload_id=upload.pk)
            except TRANSIENT_ERRORS as error:
                raise CommandError(
                    f"KPI upload #{upload.pk} stays queued; the database failed: {error}",
                    returncode=2,
                ) from None
            upload.refresh_from_db()
        self._print(upload)
        if upload.status == KpiUpload.Status.FAILED:
            raise CommandError(f"KPI upload #{upload.pk} was refused.", returncode=1)

    def _print(self, upload: KpiUpload) -> None:
        self.stdout.write(f"KPI upload #{upload.pk} {upload.original_name}: {upload.status}")
        self.stdout.write(f"SHA-256 {upload.sha256}")
        if upload.message:
            self.stdout.write(upload.message)
        for problem in upload.errors:
            if problem["row"] is None:
                continue  # the whole file's problem is the message
            self.stdout.write(
                f"  row {problem['row']}, {problem['column']} {problem['value']!r}: "
                f"{problem['message']}"
            )
        if upload.errors_more:
            self.stdout.write(f"  ... and {upload.errors_more:,} more problems")
        ids = {contract_id for contract_id, _period in upload.affected_months}
        references = dict(Contract.objects.filter(pk__in=ids).values_list("pk", "reference"))
        for contract_id, period in upload.affected_months:
            self.stdout.write(f"  {references.get(contract_id, contract_id)} {period}: revised")
