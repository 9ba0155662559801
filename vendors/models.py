"""Vendors, sourcing events and proposals.

Vendor profile lists that the vendor list filters on (channels, languages, certifications,
industries) are child tables so the filters are plain joins on SQLite and PostgreSQL alike.
A sourcing event keeps its per-channel and per-language requirements as normalised JSON on
its own row (decimals as strings, so nothing is lost), which lets django-simple-history keep
every version of the requirements in one historical row. A proposal's prices are typed child
rows (Decimal columns); none of them is registered in the admin (see vendors.admin).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import formatting
from core.labels import CHANNEL_CHOICES, label_of, labelled_choices
from vendors.domain.pricing import PricingModel
from vendors.services.validation import LanguageLevel

PRICING_MODEL_CHOICES = labelled_choices(m.value for m in PricingModel)


# The fields a vendor bids against, as the history and the deadline e-mail list their changes.
REQUIREMENT_FIELDS = (
    "title",
    "currency",
    "term_months",
    "start_date",
    "bid_deadline",
    "industry",
    "shrinkage",
    "max_occupancy",
    "fte_hours",
    "weight_cost",
    "weight_expertise",
    "weight_security",
    "weight_language",
    "weight_performance",
    "newcomer_performance",
    "channels",
    "languages",
    "must_have_certifications",
    "desired_certifications",
    "fx_rates",
    "minimum_notice_hours",
)

# What a live bid was priced against: frozen on an open event once one exists (409 naming each).
# The title names the event, the deadline may move later and the notice grow (e-mailed to the
# invited vendors); the invitations are not a requirement (bidders stay invited).
FROZEN_ONCE_BID = tuple(
    name
    for name in REQUIREMENT_FIELDS
    if name not in ("title", "bid_deadline", "minimum_notice_hours")
)


class Vendor(models.Model):
    """A BPO company that bids for and delivers outsourced support."""

    name = models.CharField(max_length=200, unique=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    delivery_countries = models.JSONField(
        default=list, blank=True, help_text="ISO 3166-1 alpha-2 codes of the delivery sites"
    )
    headcount = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def channel_list(self) -> list[str]:
        """The channels served (reads the prefetched rows when there are any)."""
        return [row.channel for row in self.served_channels.all()]


class VendorChannel(models.Model):
    """A channel a vendor serves."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="served_channels")
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "channel"], name="vendor_channel_once")
        ]

    def __str__(self) -> str:
        return label_of(self.channel)


class VendorLanguage(models.Model):
    """A language a vendor's staff speak; `language` is the tag's language subtag for filters."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="languages")
    tag = models.CharField(max_length=35, help_text="BCP 47, standardised (nl-BE)")
    language = models.CharField(max_length=8, db_index=True, help_text="language subtag (nl)")
    level = models.CharField(max_length=6, choices=LanguageLevel.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "tag"], name="vendor_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.tag} ({self.level})"


class VendorCertification(models.Model):
    """A certification a vendor holds; `name_key` compares names case- and space-insensitively."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="certifications")
    name = models.CharField(max_length=100)
    name_key = models.CharField(max_length=100, db_index=True)
    valid_until = models.DateField(null=True, blank=True, help_text="empty: does not expire")
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name_key"], name="vendor_certification_once")
        ]

    def __str__(self) -> str:
        return self.name


class VendorIndustry(models.Model):
    """Years of experience a vendor has in an industry (free tag)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="industries")
    industry = models.CharField(max_length=100)
    years = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "vendor industries"
        constraints = [
            models.UniqueConstraint(fields=["vendor", "industry"], name="vendor_industry_once")
        ]

    def __str__(self) -> str:
        return f"{self.industry} ({self.years} y)"


class EventStatus(models.TextChoices):
    """An event's status as shown everywhere; `closed` is derived from the deadline."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("status", "Open")
    CLOSED = "closed", pgettext_lazy("status", "Closed")
    AWARDED = "awarded", _("Awarded")


class EventStage(models.TextChoices):
    """The stored lifecycle step; see `vendors.selectors.event_status` for the shown status."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("status", "Open")
    AWARDED = "awarded", _("Awarded")


class SourcingEvent(models.Model):
    """A request for proposals: what the buyer needs over a term, and how bids are weighed."""

    title = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, help_text="ISO 4217")
    term_months = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    bid_deadline = models.DateTimeField()
    industry = models.CharField(max_length=100, blank=True)
    shrinkage = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.30"))
    max_occupancy = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.85"))
    fte_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(160))
    weight_cost = models.PositiveSmallIntegerField()
    weight_expertise = models.PositiveSmallIntegerField()
    weight_security = models.PositiveSmallIntegerField()
    weight_language = models.PositiveSmallIntegerField()
    # The track record criterion (DOMAIN.md "performance"): 0 ranks exactly as before it existed;
    # a vendor without a track record scores `newcomer_performance` (0-100) on it.
    weight_performance = models.PositiveSmallIntegerField(default=0)
    newcomer_performance = models.PositiveSmallIntegerField(
        default=50, validators=[MaxValueValidator(100)]
    )
    # Normalised by vendors.services.events: [{channel, monthly_volume, aht_seconds, sl_percent,
    # sl_seconds, opening_hours}], [{tag, share}], [name], [{name, points}], [{currency, rate}].
    channels = models.JSONField(default=list)
    languages = models.JSONField(default=list, blank=True)
    must_have_certifications = models.JSONField(default=list, blank=True)
    desired_certifications = models.JSONField(default=list, blank=True)
    fx_rates = models.JSONField(default=list, blank=True)
    # How long before the new deadline the invited vendors must be told of a move (DOMAIN.md).
    minimum_notice_hours = models.PositiveSmallIntegerField(default=24)
    invited_vendors = models.ManyToManyField(Vendor, blank=True, related_name="invited_events")
    stage = models.CharField(max_length=10, choices=EventStage.choices, default=EventStage.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-bid_deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    weight_cost=Value(100)
                    - F("weight_expertise")
                    - F("weight_security")
                    - F("weight_language")
                    - F("weight_performance")
                ),
                name="event_weights_sum_to_100",
            ),
            models.CheckConstraint(
                condition=Q(newcomer_performance__lte=100), name="event_newcomer_performance_0_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    """A proposal is live (submitted) until its vendor withdraws it."""

    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    """A vendor's bid on a sourcing event; its prices are sealed until the bid deadline."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.PROTECT, related_name="proposals")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="proposals")
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    currency = models.CharField(max_length=3, help_text="ISO 4217")
    minimum_monthly_charge = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    setup_fee = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    training_fee = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    project_management_fee = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "vendor"],
                condition=~Q(status="withdrawn"),
                name="one_live_proposal_per_vendor_and_event",
            ),
            models.CheckConstraint(
                condition=Q(minimum_monthly_charge__gte=0)
                & Q(setup_fee__gte=0)
                & Q(training_fee__gte=0)
                & Q(project_management_fee__gte=0),
                name="proposal_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Proposal %(number)s by %(vendor)s for %(event)s") % {
            "number": self.pk,
            "vendor": self.vendor,
            "event": self.event,
        }


class ProposalPrice(models.Model):
    """The price of one channel in a proposal, or of every other channel (channel empty)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="prices")
    position = models.PositiveSmallIntegerField()
    channel = models.CharField(
        max_length=20, choices=CHANNEL_CHOICES, blank=True, help_text="empty: all channels"
    )
    model = models.CharField(max_length=20, choices=PRICING_MODEL_CHOICES)
    rate = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    stated_hours = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    stated_fte = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        constraints = [models.CheckConstraint(condition=Q(rate__gte=0), name="price_rate_gte_0")]

    def __str__(self) -> str:
        return f"{label_of(self.channel or 'all')}: {label_of(self.model)}"


class ProposalPriceComponent(models.Model):
    """One part of a hybrid price: a model, its rate, and its share of the channel's volume or
    its scope (the event's band names and calendar months 1-12 it prices)."""

    price = models.ForeignKey(ProposalPrice, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField()
    model = models.CharField(max_length=20, choices=PRICING_MODEL_CHOICES)
    rate = models.DecimalField(max_digits=12, decimal_places=4)
    share = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    bands = models.JSONField(default=list, blank=True)
    months = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{label_of(self.model)} × {formatting.fraction_percent(self.share)}"


class ProposalMonthlyFee(models.Model):
    """A fixed monthly fee of a proposal (management, numbers, licences)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="monthly_fees")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class ProposalLanguage(models.Model):
    """A language a proposal staffs, its level and the fraction of opening hours covered."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="languages")
    position = models.PositiveSmallIntegerField()
    tag = models.CharField(max_length=35)
    level = models.CharField(max_length=6, choices=LanguageLevel.choices)
    hours_coverage = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal(1))
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.tag} ({self.level})"


class ProposalRating(models.Model):
    """An evaluator's 0-5 rating of a proposal, given after the bid deadline."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ratings")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposal_ratings"
    )
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "evaluator"], name="one_rating_per_evaluator"
            ),
            models.CheckConstraint(condition=Q(rating__lte=5), name="rating_at_most_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 by {self.evaluator}"
