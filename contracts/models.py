"""Contracts: the agreed terms as signed, SLA targets, the in-house baseline, amendments."""

from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.labels import CHANNEL_CHOICES, METRIC_CHOICES, label_of

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
NON_NEGATIVE = [MinValueValidator(Decimal(0))]
EARN_BACK_MAX_MONTHS = 11
REFERENCE = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,38}[A-Z0-9]$",
    "Use 3-40 capital letters, digits and dashes, e.g. ACME-NL-01.",
)


def money_field(**kwargs) -> models.DecimalField:
    """A money amount stored to the cent."""
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class Contract(models.Model):
    """An agreement with a vendor; pricing, fees and minimum are frozen as signed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")  # derived: active and past its end date
        TERMINATED = "terminated", _("Terminated")

    reference = models.CharField(
        max_length=40, unique=True, validators=[REFERENCE], verbose_name=_("reference")
    )
    vendor = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("vendor"),
    )
    proposal = models.OneToOneField(
        "vendors.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract",
        verbose_name=_("proposal"),
    )
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    start_date = models.DateField(verbose_name=_("start date"))
    end_date = models.DateField(verbose_name=_("end date"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, verbose_name=_("status")
    )
    # The signed terms in API.md's shape; amendments never rewrite them, they add to them.
    pricing = models.JSONField(encoder=DjangoJSONEncoder, default=list, verbose_name=_("pricing"))
    one_off_fees = models.JSONField(
        encoder=DjangoJSONEncoder, default=dict, blank=True, verbose_name=_("one-off fees")
    )
    monthly_fees = models.JSONField(
        encoder=DjangoJSONEncoder, default=list, blank=True, verbose_name=_("monthly fees")
    )
    minimum_monthly_charge = money_field(
        default=Decimal(0), validators=NON_NEGATIVE, verbose_name=_("minimum monthly charge")
    )
    fte_hours = models.DecimalField(
        _("paid hours per FTE and month"), max_digits=6, decimal_places=2, default=Decimal(160)
    )
    contracted_fte = models.JSONField(
        encoder=DjangoJSONEncoder,
        default=dict,
        blank=True,
        verbose_name=_("contracted FTE"),
    )  # {channel: FTE} per_fte_month
    # Frozen at award: each banded channel's profile and forecast agents per band and calendar
    # month, to split actual usage over the bands (vendors/domain/apportion.py).
    band_split = models.JSONField(
        encoder=DjangoJSONEncoder, default=dict, blank=True, verbose_name=_("band split")
    )
    at_risk_percent = models.DecimalField(
        _("at risk (% of the month's charges)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(12),
        validators=PERCENT,
    )
    pool_percent = models.DecimalField(
        _("pool (% of the at-risk amount)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(150),
        validators=NON_NEGATIVE,
    )
    retained_management_monthly = money_field(
        default=Decimal(0), validators=NON_NEGATIVE, verbose_name=_("retained management a month")
    )
    # How many days after a month is evaluated the vendor may dispute its breaches.
    dispute_days = models.PositiveSmallIntegerField(
        _("dispute window (days)"),
        default=10,
        validators=[MaxValueValidator(365)],
        help_text=_("Days after a month is evaluated in which the vendor may dispute a breach."),
    )
    # Why this award was chosen when it is not the first-ranked proposal alone; frozen at award.
    award_justification = models.TextField(
        blank=True, default="", verbose_name=_("award justification")
    )
    # Earn-back (DOMAIN.md): a credit is returned when its target is met in each of the next K
    # months. At most 11, so a changed month re-evaluates every month that depends on it
    # through the chronic cascade (kpis.evaluation.service, 12-month window).
    earn_back_months = models.PositiveSmallIntegerField(
        _("earn-back months"),
        default=0,
        validators=[MaxValueValidator(EARN_BACK_MAX_MONTHS)],
        help_text=_("0 = no earn-back; at most 11 months."),
    )
    # Invoice reconciliation: matched within max(this % of the expected total, 1.00).
    invoice_tolerance_percent = models.DecimalField(
        _("invoice tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=PERCENT,
    )
    termination_date = models.DateField(null=True, blank=True, verbose_name=_("termination date"))
    termination_reason = models.TextField(blank=True, verbose_name=_("termination reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class SlaTarget(models.Model):
    """A service level the vendor owes, valid from a month until an amendment replaces it."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="targets", verbose_name=_("contract")
    )
    metric = models.CharField(max_length=40, choices=METRIC_CHOICES, verbose_name=_("metric"))
    channel = models.CharField(
        max_length=20, choices=CHANNEL_CHOICES, blank=True, verbose_name=_("channel")
    )
    expected = models.DecimalField(max_digits=12, decimal_places=4, verbose_name=_("expected"))
    minimum = models.DecimalField(max_digits=12, decimal_places=4, verbose_name=_("minimum"))
    critical = models.BooleanField(default=True, verbose_name=_("critical"))
    allocation_percent = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        validators=NON_NEGATIVE,
        verbose_name=_("allocation (%)"),
    )
    valid_from = models.DateField(
        help_text="First day of the first month the target applies", verbose_name=_("valid from")
    )
    valid_until = models.DateField(
        null=True, blank=True, help_text="Last day it applies", verbose_name=_("valid until")
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "metric", "channel", "valid_from"]

    def __str__(self) -> str:
        return f"{label_of(self.metric)} · {label_of(self.channel or 'all')}"


class Baseline(models.Model):
    """The in-house cost and KPI levels the outsourcing is judged against."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="baseline")
    monthly_amount = money_field(
        verbose_name=_("monthly amount"), null=True, blank=True, validators=NON_NEGATIVE
    )
    fte = models.DecimalField(_("FTE"), max_digits=10, decimal_places=2, null=True, blank=True)
    gross_salary = money_field(verbose_name=_("gross salary per FTE"), null=True, blank=True)
    employer_oncost_percent = models.DecimalField(
        _("employer on-cost (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    facilities_per_fte = money_field(verbose_name=_("facilities per FTE"), null=True, blank=True)
    ict_per_fte = money_field(verbose_name=_("ICT per FTE"), null=True, blank=True)
    recruitment_training_per_fte = money_field(
        verbose_name=_("recruitment and training per FTE"), null=True, blank=True
    )
    management_overhead = money_field(verbose_name=_("management overhead"), null=True, blank=True)
    depreciation = money_field(verbose_name=_("depreciation"), null=True, blank=True)
    absenteeism_percent = models.DecimalField(
        _("absenteeism (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    kpis = models.JSONField(
        _("KPI levels"), encoder=DjangoJSONEncoder, default=dict, blank=True
    )  # {metric: level before outsourcing}
    history = HistoricalRecords()

    PARTS = (
        "fte", "gross_salary", "employer_oncost_percent", "facilities_per_fte", "ict_per_fte",
        "recruitment_training_per_fte", "management_overhead", "depreciation",
        "absenteeism_percent",
    )  # fmt: skip

    def __str__(self) -> str:
        return f"Baseline of {self.contract}"


class Amendment(models.Model):
    """A dated change of fees, pricing or targets, in force from its effective month."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    effective_month = models.DateField(help_text="First day of the month it takes effect")
    changes = models.JSONField(
        encoder=DjangoJSONEncoder,
    )
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "effective_month", "created_at"]

    def __str__(self) -> str:
        return f"{self.contract} from {self.effective_month:%Y-%m}"


class Reminder(models.Model):
    """A reminder e-mail that has been sent, so each item is reminded of once."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.key
