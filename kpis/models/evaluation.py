"""Evaluations of contract months, their target results, breaches and chronic flags.

DOMAIN.md, "Evaluation of a contract month". An evaluation is stored as a revision: a
re-evaluation adds a new one and keeps the earlier ones (`is_current` marks the one in force),
with the inputs it used, so an auditor can recompute every figure from the row alone.
kpis.evaluation.service writes these rows; nothing else does.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from contracts.models import money_field
from core.labels import label_of
from kpis.evaluation.rules import ChronicRule, TargetStatus
from kpis.models.uploads import ExactDecimalField

__all__ = [
    "Breach",
    "ChronicFlag",
    "Evaluation",
    "EvaluationRequest",
    "TargetResult",
    "WaiverReevaluation",
]

STATUS_CHOICES = [(s.value, s.value.capitalize()) for s in TargetStatus]
RULE_CHOICES = [(r.value, r.label) for r in ChronicRule]


class Evaluation(models.Model):
    """A contract month evaluated: charges, at-risk amount, credits, findings and inputs."""

    class Trigger(models.TextChoices):
        INGESTION = "ingestion", _("After a KPI upload")
        SCHEDULE = "schedule", _("Monthly job")
        COMMAND = "command", _("kpis_evaluate command")
        WAIVER = "waiver", _("After a breach was waived")
        CASCADE = "cascade", _("After an earlier month changed (chronic window)")

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="evaluations"
    )
    period = models.DateField()  # the first day of the month
    revision = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    currency = models.CharField(max_length=3)
    # Null when the month could not be priced (the reason is a finding): then neither the
    # at-risk amount nor any credit can be computed, though every target is still judged.
    charges = money_field(null=True, blank=True)
    at_risk_percent = models.DecimalField(max_digits=5, decimal_places=2)
    at_risk_amount = money_field(null=True, blank=True)
    credit_before_cap = money_field(null=True, blank=True)
    cap_adjustment = money_field(null=True, blank=True)  # zero, or negative when capped
    credit_waived = money_field(null=True, blank=True)
    credit_total = money_field(null=True, blank=True)  # deducted: waived credits left out
    retained = money_field()  # the retained management cost in force, for the ROI
    # Earn-back (kpis.evaluation.earnback): credits of month m = this month - K returned here,
    # zero or negative; `earn_back_lines` names each [{target, metric, channel, source_period,
    # credit, deducted, amount}]. `credit_total` stays this month's own judgement.
    earn_back = money_field(default=0)
    earn_back_lines = models.JSONField(default=list, blank=True)
    # Inputs and workings, as used: the priced lines and totals, the usage behind them, the
    # current KPI values read [{id, channel, metric, revision, value}], amendments in force.
    pricing = models.JSONField(default=dict, blank=True)
    usage = models.JSONField(default=list, blank=True)
    kpi_values = models.JSONField(default=list, blank=True)
    amendments = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True)  # [{code, message, target, ...}]
    fingerprint = models.CharField(max_length=64)  # of inputs and results: same -> no revision

    class Meta:
        ordering = ["contract", "-period", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period"],
                condition=models.Q(is_current=True),
                name="evaluation_one_current",
            ),
            models.UniqueConstraint(
                fields=["contract", "period", "revision"], name="evaluation_revision_unique"
            ),
        ]
        indexes = [models.Index(fields=["period", "is_current"], name="evaluation_period")]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.period:%Y-%m} r{self.revision}"

    @property
    def priced(self) -> bool:
        """Whether the month's charges could be computed."""
        return self.charges is not None

    @property
    def credit_net(self):
        """The month's credit total net of earn-back (what the ROI and the invoice deduct)."""
        return None if self.credit_total is None else self.credit_total + self.earn_back


class TargetResult(models.Model):
    """One SLA target's month within an evaluation: level, status, credit, chronic flag."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    target = models.ForeignKey("contracts.SlaTarget", on_delete=models.PROTECT, related_name="+")
    # The first target of the `replaces` chain: one row per lineage on the dashboard, and the
    # chronic windows count the months of every target in it.
    lineage = models.ForeignKey(
        "contracts.SlaTarget", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    metric = models.CharField(max_length=40)
    channel = models.CharField(max_length=20, blank=True)  # "": all channels
    expected = models.DecimalField(max_digits=12, decimal_places=4)
    minimum = models.DecimalField(max_digits=12, decimal_places=4)
    critical = models.BooleanField()
    allocation_percent = models.DecimalField(max_digits=6, decimal_places=2)
    actual = ExactDecimalField(null=True, blank=True)
    kpi_value = models.ForeignKey(
        "kpis.KpiValue", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )  # fmt: skip
    kpi_revision = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES)
    credit = money_field(null=True, blank=True)  # null: earned but the month was not priced
    waived = models.BooleanField(default=False)
    chronic = models.BooleanField(default=False)
    chronic_rules = models.JSONField(default=list, blank=True)
    breaches_in_last_6 = models.PositiveSmallIntegerField(default=0)
    below_expected_in_last_12 = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["evaluation", "metric", "channel", "id"]

    def __str__(self) -> str:
        return (
            f"{label_of(self.metric)} · {label_of(self.channel or 'all')}: {label_of(self.status)}"
        )


class _Notified(models.Model):
    """A finding managers are e-mailed about once: claimed by setting notified_at."""

    notified_at = models.DateTimeField(null=True, blank=True)
    notify_error = models.TextField(blank=True)  # the last failed attempt, retried later
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Breach(_Notified):
    """A target in breach for a month, open until a manager acknowledges or waives it."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status", "Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        WAIVED = "waived", _("Waived")

    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="breaches",
        verbose_name=_("contract"),
    )
    target = models.ForeignKey(
        "contracts.SlaTarget",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("target"),
    )
    period = models.DateField(_("month"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    # As the current evaluation has them; `cleared` when it no longer shows the breach
    # (revised KPI data): the row stays, with its decision, for the history.
    result = models.ForeignKey(
        TargetResult,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("result"),
    )
    actual = ExactDecimalField(_("actual"), null=True, blank=True)
    credit = money_field(null=True, blank=True, verbose_name=_("credit"))
    chronic = models.BooleanField(_("chronic"), default=False)
    cleared = models.BooleanField(_("cleared"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Written with bulk and conditional updates, which record these history rows themselves;
    # the e-mail claim (notified_at) is bookkeeping, not a decision.
    history = HistoricalRecords(excluded_fields=["notified_at", "notify_error"])

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-period", "contract", "id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="breach_target_month"),
        ]
        indexes = [
            models.Index(fields=["contract", "period"], name="breach_contract_month"),
            models.Index(fields=["status", "period"], name="breach_status"),
        ]

    def __str__(self) -> str:
        return f"Breach {self.target_id} {self.period:%Y-%m} ({self.status})"


class ChronicFlag(_Notified):
    """A target's month flagged chronic (a termination right); `cleared` once no longer so."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="chronic_flags"
    )
    target = models.ForeignKey("contracts.SlaTarget", on_delete=models.PROTECT, related_name="+")
    period = models.DateField()
    result = models.ForeignKey(
        TargetResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rules = models.JSONField(default=list)
    breaches_in_last_6 = models.PositiveSmallIntegerField(default=0)
    below_expected_in_last_12 = models.PositiveSmallIntegerField(default=0)
    cleared = models.BooleanField(default=False)

    class Meta:
        ordering = ["-period", "contract", "id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="chronic_flag_target_month"),
        ]
        indexes = [models.Index(fields=["contract", "period"], name="chronic_contract_month")]

    def __str__(self) -> str:
        return f"Chronic {self.target_id} {self.period:%Y-%m}"


class WaiverReevaluation(models.Model):
    """The background re-evaluation of a waived breach's month and the later months whose
    chronic window it is in (kpis.evaluation.breaches); the breach page shows it until done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Re-evaluating")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    breach = models.OneToOneField(
        Breach, on_delete=models.CASCADE, related_name="waiver_reevaluation"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)  # last handed to the broker
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The claim (core.jobs): which process and task hold the row, and when it last beat.
    claimed_by = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="waiver_reeval_status")]

    def __str__(self) -> str:
        return f"Re-evaluation after waiving breach #{self.breach_id}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class EvaluationRequest(models.Model):
    """A contract month to evaluate in the background (kpis.evaluation.requests): asked for by
    an ingestion or the monthly job, claimed by a worker like every job row (core.jobs) and
    re-queued when its worker died; two requests for a month while one waits are one row."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PROCESSING = "processing", _("Evaluating")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="evaluation_requests"
    )
    period = models.DateField()  # the first day of the month
    trigger = models.CharField(max_length=20, choices=Evaluation.Trigger.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)  # last handed to the broker
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The claim (core.jobs): which process and task hold the row, and when it last beat.
    claimed_by = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Coalescing: a month waits at most once (a request while one runs is a new row:
            # the running one may have read the data before they changed).
            models.UniqueConstraint(
                fields=["contract", "period"],
                condition=models.Q(status="queued"),
                name="evaluation_request_one_queued",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="evaluation_request_status"),
            models.Index(fields=["contract", "period"], name="evaluation_request_month"),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.contract_id} {self.period:%Y-%m} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
