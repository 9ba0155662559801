"""KPI uploads, the rows they carried as submitted, and the monthly values they produced."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import formatting
from core.labels import CHANNEL_CHOICES, METRIC_CHOICES, label_of


class ExactDecimalField(models.DecimalField):
    """A Decimal stored exactly as given: PostgreSQL `numeric` with no precision or scale, and
    on SQLite its text (SQLite's numeric columns keep 15 significant digits of a double)."""

    # A KPI value may carry any number of digits the file wrote (up to the parser's bound);
    # numeric(p, s) would round some of them or overflow, and the aggregates must recompute
    # from the stored rows to exactly what the file gave, on either database: 1E+24 stays
    # 1E+24 and 9223372036854775807 stays itself (not 9223372036854780000). Other databases
    # use max_digits. The internal type is our own, so that no backend converts the column as
    # a DecimalField (SQLite's converter goes through a float of 15 digits).

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 60)
        kwargs.setdefault("decimal_places", 30)
        super().__init__(*args, **kwargs)

    def get_internal_type(self):
        return "ExactDecimalField"

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "numeric"
        if connection.vendor == "sqlite":
            return "text"
        return connection.data_types["DecimalField"] % self.db_type_parameters(connection)

    def from_db_value(self, value, expression, connection):
        """PostgreSQL gives the Decimal and SQLite its text, as written; a SQLite column made
        before the text storage (a REAL) gives a float, read as its shortest repr."""
        if value is None or isinstance(value, Decimal):
            return value
        if isinstance(value, str):
            return Decimal(value)
        tidy = Decimal(repr(value)).normalize()
        return tidy.quantize(Decimal(1)) if tidy.as_tuple().exponent > 0 else tidy


class KpiUpload(models.Model):
    """A KPI file submitted through the page, the API or the command, and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PROCESSING = "processing", _("Processing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        DUPLICATE = "duplicate", _("Duplicate")

    class Failure(models.TextChoices):
        NONE = "", _("None")
        FILE = "file", _("The file as a whole was refused")
        ROWS = "rows", _("Rows had problems")
        ERROR = "error", _("Processing failed")

    class Source(models.TextChoices):
        PAGE = "page", _("Upload page")
        API = "api", _("API")
        COMMAND = "command", _("Command")

    file = models.FileField(upload_to="kpi-uploads/%Y/%m/", max_length=300, verbose_name=_("file"))
    original_name = models.CharField(max_length=255, verbose_name=_("file name"))
    size = models.PositiveBigIntegerField(verbose_name=_("size (bytes)"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 checksum"))
    source = models.CharField(max_length=10, choices=Source.choices, verbose_name=_("source"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status")
    )
    failure = models.CharField(
        max_length=10, choices=Failure.choices, blank=True, default="", verbose_name=_("failure")
    )
    message = models.TextField(
        blank=True, verbose_name=_("message")
    )  # the outcome in a sentence, or the file's refusal
    format = models.CharField(max_length=10, blank=True, verbose_name=_("format"))  # csv or xlsx
    encoding = models.CharField(max_length=20, blank=True, verbose_name=_("encoding"))
    delimiter = models.CharField(
        max_length=10, blank=True, verbose_name=_("delimiter")
    )  # comma, semicolon or tab
    decimal_mark = models.CharField(max_length=10, blank=True, verbose_name=_("decimal mark"))
    rows = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("rows")
    )  # data rows read
    values_revised = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("values revised")
    )
    errors = models.JSONField(
        default=list, blank=True, verbose_name=_("errors")
    )  # [{row, column, value, message}]
    errors_more = models.PositiveIntegerField(
        default=0, verbose_name=_("further errors")
    )  # problems beyond those listed
    affected_months = models.JSONField(
        default=list, blank=True, verbose_name=_("affected months")
    )  # [[contract id, "YYYY-MM"]]
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kpi_uploads",
        verbose_name=_("created by"),
    )
    # The uploader's vendor: its rows may only name that vendor's contracts. Null: any contract.
    vendor = models.ForeignKey(
        "vendors.Vendor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kpi_uploads",
        verbose_name=_("vendor"),
    )
    # Whose earlier uploads a file is compared with for duplicates (DOMAIN.md "The KPI file"):
    # "vendor:<id>" for a vendor's staff, "user:<id>" for a buyer-side uploader (its own
    # uploads), "operator" for the command without --user. Another vendor's files never match.
    scope = models.CharField(max_length=40, default="operator", verbose_name=_("scope"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    queued_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("queued at")
    )  # last handed to the broker
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    # The claim (core.jobs): which process and task hold the row, and when it last beat.
    claimed_by = models.CharField(max_length=200, blank=True, verbose_name=_("claimed by"))
    task_id = models.CharField(max_length=64, blank=True, verbose_name=_("task ID"))
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last heartbeat"))

    class Meta:
        verbose_name = _("KPI upload")
        verbose_name_plural = _("KPI uploads")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The upload of some bytes within a scope that is ingested or being ingested; a
            # later one with the same SHA-256 in that scope is a duplicate pointing to it. A
            # refused (failed) file reserves nothing: the same bytes can be sent again.
            models.UniqueConstraint(
                fields=["scope", "sha256"],
                condition=models.Q(status__in=["queued", "processing", "done"]),
                name="kpi_upload_first_of_its_bytes_in_scope",
            )
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="kpi_upload_status"),
            models.Index(fields=["vendor", "created_at"], name="kpi_upload_vendor"),
        ]

    def __str__(self) -> str:
        return f"KPI upload #{self.pk} {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.DUPLICATE)


class KpiRawRow(models.Model):
    """A data row of an ingested upload: the cells as submitted and the values read from them."""

    # A big table (a row per file row), written by COPY, with one index: its key. The key is
    # natural, the row's contract month and then its place in its upload: the recomputation of
    # a contract month (kpis.ingestion.service._recompute), the one query that reads these rows,
    # finds them by its prefix, and no surrogate id is drawn and indexed. A row number is one line
    # of one upload, so (upload, row) is unique within it. The database checks no foreign key
    # (deferred checks of a million rows cost more than the rows; ingestion writes only valid
    # ids).
    pk = models.CompositePrimaryKey("contract", "period", "upload", "row")
    upload = models.ForeignKey(
        KpiUpload,
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,  # nothing reads the rows by upload alone
        related_name="raw_rows",
        verbose_name=_("upload"),
    )
    row = models.PositiveIntegerField(
        verbose_name=_("row number")
    )  # as a spreadsheet numbers it: the header is row 1
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,  # the primary key starts with (contract, period)
        related_name="+",
        verbose_name=_("contract"),
    )
    period = models.DateField(verbose_name=_("period"))  # the first day of the month
    day = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("day")
    )  # null: the whole month
    channel = models.CharField(
        max_length=20, blank=True, verbose_name=_("channel")
    )  # "": all channels
    metric = models.CharField(max_length=40, verbose_name=_("metric"))
    value = ExactDecimalField(verbose_name=_("value"))
    volume = ExactDecimalField(null=True, blank=True, verbose_name=_("volume"))
    raw = models.JSONField(
        verbose_name=_("raw values")
    )  # [contract, period, channel, metric, value, volume] as written

    class Meta:
        verbose_name = _("KPI file row")
        verbose_name_plural = _("KPI file rows")
        ordering = ["upload", "row"]

    def __str__(self) -> str:
        return f"Row {self.row} of upload {self.upload_id}"


class KpiValue(models.Model):
    """A contract's monthly figure for a channel and metric; each change is a new revision."""

    # Written in bulk by kpis.ingestion.service (a million-row file gives 33,000 values). The
    # database checks both foreign keys: an audited figure can never name a contract or an
    # upload that does not exist (migration kpis.0005; docs/benchmarks.md "KPI ingestion").
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="kpi_values",
        db_index=False,  # kpi_value_revision_unique starts with the contract
        verbose_name=_("contract"),
    )
    period = models.DateField(verbose_name=_("period"))  # the first day of the month
    channel = models.CharField(
        max_length=20, choices=CHANNEL_CHOICES, blank=True, verbose_name=_("channel")
    )  # "": all
    metric = models.CharField(max_length=40, choices=METRIC_CHOICES, verbose_name=_("metric"))
    # A weighted mean from daily rows is rounded half-up to 4 decimals (the scale of SLA
    # targets); a sum, or a month given as one row, is kept exactly. Null: no volume at all.
    value = ExactDecimalField(null=True, blank=True, verbose_name=_("value"))
    volume = ExactDecimalField(
        null=True, blank=True, verbose_name=_("volume")
    )  # summed volume of weighted metrics
    rows = models.PositiveIntegerField(verbose_name=_("rows"))  # stored rows the figure comes from
    daily = models.BooleanField(
        verbose_name=_("daily values")
    )  # from daily rows, or from one row for the whole month
    note = models.CharField(max_length=200, blank=True, verbose_name=_("note"))  # why value is null
    revision = models.PositiveIntegerField(verbose_name=_("revision"))
    is_current = models.BooleanField(default=True, verbose_name=_("current"))
    upload = models.ForeignKey(
        KpiUpload, on_delete=models.PROTECT, related_name="values", verbose_name=_("upload")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # Written in bulk by kpis.ingestion.service, which records these history rows itself.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        ordering = ["contract", "period", "channel", "metric", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period", "channel", "metric"],
                condition=models.Q(is_current=True),
                name="kpi_value_one_current",
            ),
            models.UniqueConstraint(
                fields=["contract", "period", "channel", "metric", "revision"],
                name="kpi_value_revision_unique",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{label_of(self.metric)} · {label_of(self.channel or 'all')} · "
            f"{formatting.month(self.period)} r{self.revision}"
        )
