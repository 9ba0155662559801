"""API shapes of vendors, sourcing events, proposals and ratings (API.md); they only translate.

Type checks happen here; rules and normalisation happen in the domain functions they call.
A proposal's sealed fields are answered as null, with `sealed: true`, whenever
`vendors.selectors.proposal_prices_visible` says so; the schema declares them nullable.
"""

import decimal
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.labels import CHANNEL_CHOICES
from core.roles import BUYER_ROLES, role_of
from core.serializers import Frozen, RefuseDroppedInputMixin
from vendors.domain.pricing import PricingModel
from vendors.models import (
    EventStatus,
    Proposal,
    ProposalRating,
    ProposalStatus,
    SourcingEvent,
    Vendor,
)
from vendors.selectors import (
    bids_frozen,
    event_status,
    invited_vendor_ids_visible,
    proposal_prices_visible,
)
from vendors.services.events import event_create, event_update
from vendors.services.profiles import vendor_create, vendor_update
from vendors.services.validation import LanguageLevel


def context_now(serializer: serializers.BaseSerializer) -> datetime:
    """The request's one `now` (set once, so every row of a list is judged at the same time)."""
    return serializer.context.setdefault("now", timezone.now())


def context_user(serializer: serializers.BaseSerializer) -> Any:
    """The requesting user, or None without a request (then nothing sealed is shown)."""
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# Plain values, as the contracts API uses: the schema then shares one ModelEnum.
MODEL_CHOICES = [m.value for m in PricingModel]

# Input shape only ---------------------------------------------------------------------------


class DecimalNumber(serializers.DecimalField):
    """A decimal number, parsed only: its bounds and decimal places are the domain's rule.

    `max_digits` and `decimal_places` say how the number is shown (and the schema's pattern);
    a number sent that fits them is padded to them as before, any other is passed on as sent,
    so that the domain function refuses it in the words the page shows too.
    """

    def validate_precision(self, value: Decimal) -> Decimal:
        return value

    def quantize(self, value: Decimal) -> Decimal:
        try:
            padded = super().quantize(value)
        except decimal.InvalidOperation:
            return value
        return padded if padded == value else value


# Vendors ------------------------------------------------------------------------------------


class VendorLanguageSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A language a vendor's staff speak."""

    tag = serializers.CharField(max_length=35, help_text="BCP 47 (nl, en-GB); stored standardised")
    level = serializers.ChoiceField(choices=LanguageLevel.choices)


class VendorCertificationSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A certification and the date it is valid until (null: no expiry)."""

    name = serializers.CharField(max_length=100)
    valid_until = serializers.DateField(allow_null=True, required=False, default=None)


class VendorIndustrySerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Years of experience in an industry."""

    industry = serializers.CharField(max_length=100)
    years = serializers.IntegerField(min_value=0, max_value=100)


class VendorSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """`id, name, country, delivery_countries[], channels[], languages[], certifications[],
    industries[], headcount`."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    delivery_countries = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, help_text="ISO 3166-1 alpha-2"
    )
    # Plain values as choices: a choice set of its own, so the schema names it ChannelsEnum
    # without clashing with the (labelled) ChannelEnum of single channel fields.
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNEL_CHOICES),
        required=False,
        source="channel_list",
    )
    languages = VendorLanguageSerializer(many=True, required=False)
    certifications = VendorCertificationSerializer(many=True, required=False)
    industries = VendorIndustrySerializer(many=True, required=False)
    headcount = serializers.IntegerField(min_value=0, allow_null=True, required=False)

    def _domain(self, data: dict[str, Any]) -> dict[str, Any]:
        """Validated data in the domain functions' names."""
        if "channel_list" in data:
            data["channels"] = data.pop("channel_list")
        return data

    def create(self, validated_data: dict[str, Any]) -> Vendor:
        return vendor_create(**self._domain(validated_data))

    def update(self, instance: Vendor, validated_data: dict[str, Any]) -> Vendor:
        request = self.context.get("request")
        reveal = request is not None and role_of(request.user) in BUYER_ROLES
        return vendor_update(vendor=instance, data=self._domain(validated_data), reveal=reveal)


# Events -------------------------------------------------------------------------------------


class EventWeightsSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Criterion weights, whole numbers summing to 100."""

    cost = serializers.IntegerField(source="weight_cost")
    expertise = serializers.IntegerField(source="weight_expertise")
    security = serializers.IntegerField(source="weight_security")
    language = serializers.IntegerField(source="weight_language")
    performance = serializers.IntegerField(
        source="weight_performance",
        required=False,
        help_text="the track record criterion; default 0 (ranks as before it existed), and "
        "then left out of answers",
    )


class EventBandSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A named time band: its hours a month and its share of the channel's volume."""

    name = serializers.CharField(max_length=40)
    hours = DecimalNumber(max_digits=6, decimal_places=2)
    share = DecimalNumber(max_digits=5, decimal_places=4)


class EventProfileSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Seasons and time bands (both optional): twelve factors summing to 12; bands whose hours
    sum to the opening hours and whose shares sum to 1. Absent: a flat profile."""

    months = serializers.ListField(
        child=DecimalNumber(max_digits=7, decimal_places=4),
        required=False,
        allow_null=True,
        help_text="twelve volume factors, January to December, averaging 1",
    )
    bands = EventBandSerializer(many=True, required=False, allow_null=True)


class EventChannelSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A channel's monthly need; the service level and opening hours > 0 for phone and chat."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    monthly_volume = serializers.IntegerField()
    aht_seconds = serializers.IntegerField()
    sl_percent = DecimalNumber(
        max_digits=5, decimal_places=2, allow_null=True, required=False, default=None
    )
    sl_seconds = serializers.IntegerField(allow_null=True, required=False, default=None)
    opening_hours = DecimalNumber(
        max_digits=6, decimal_places=2, allow_null=True, required=False, default=None
    )
    profile = EventProfileSerializer(allow_null=True, required=False, default=None)
    patience_seconds = serializers.IntegerField(
        allow_null=True,
        required=False,
        default=None,
        help_text="callers' mean patience before hanging up (phone, chat); staffs by Erlang A",
    )


class EventLanguageSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A language of the event, its share of the volume (shares sum to 1) and any knock-out."""

    tag = serializers.CharField()
    share = DecimalNumber(max_digits=5, decimal_places=4)
    required = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: a proposal that does not offer it at minimum_level for "
        "minimum_hours_coverage of the opening hours is disqualified",
    )
    minimum_level = serializers.ChoiceField(
        choices=LanguageLevel.choices,
        allow_null=True,
        required=False,
        default=None,
        help_text="required languages only: the lowest level that counts (CEFR or native)",
    )
    minimum_hours_coverage = DecimalNumber(
        max_digits=5,
        decimal_places=4,
        allow_null=True,
        required=False,
        default=None,
        help_text="required languages only: the fraction (0-1) of opening hours the offer must "
        "cover; 1 when a required language omits it; null when not required",
    )


class EventDesiredCertificationSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A certification that earns security points."""

    name = serializers.CharField()
    points = serializers.IntegerField()


class EventFxRateSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Event-currency units per one unit of `currency`."""

    currency = serializers.CharField()
    rate = DecimalNumber(max_digits=18, decimal_places=6)


def _plain_data(value: Any) -> Any:
    """Nested validated data as plain dicts and lists (the services read mappings)."""
    if isinstance(value, Mapping):
        return {key: _plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_data(item) for item in value]
    return value


class EventSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A sourcing event as API.md lists it; `status` is computed from the deadline."""

    def frozen_fields(self, event: SourcingEvent) -> dict[str, Frozen]:
        """Past the deadline (closed, awarded) every requirement is frozen: 409 naming them."""
        status = event_status(event, context_now(self))
        if status in (EventStatus.DRAFT, EventStatus.OPEN):
            return {}
        reason = _("The event is %(status)s: its requirements are frozen since %(deadline)s.") % {
            "status": status.label.lower(),
            "deadline": event.bid_deadline.isoformat(),
        }
        return {name: Frozen(reason, conflict=True) for name, f in self.fields.items()}

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField()
    currency = serializers.CharField(help_text="ISO 4217")
    term_months = serializers.IntegerField()
    start_date = serializers.DateField()
    bid_deadline = serializers.DateTimeField()
    industry = serializers.CharField(required=False, allow_blank=True)
    shrinkage = DecimalNumber(max_digits=5, decimal_places=4, required=False)
    max_occupancy = DecimalNumber(max_digits=5, decimal_places=4, required=False)
    fte_hours = DecimalNumber(max_digits=6, decimal_places=2, required=False)
    weights = EventWeightsSerializer(source="*")
    channels = EventChannelSerializer(many=True)
    languages = EventLanguageSerializer(many=True, required=False)
    must_have_certifications = serializers.ListField(child=serializers.CharField(), required=False)
    desired_certifications = EventDesiredCertificationSerializer(many=True, required=False)
    fx_rates = EventFxRateSerializer(many=True, required=False)
    invited_vendors = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Vendor.objects.all(),
        required=False,
        help_text="vendor ids; a vendor user sees only its own",
    )
    minimum_notice_hours = serializers.IntegerField(
        required=False,
        help_text="on an open event the deadline moves only later, to at least this many hours "
        "from now; default 24",
    )
    newcomer_performance = serializers.IntegerField(
        required=False,
        help_text="the performance score (0-100) of a vendor without a track record; default 50",
    )
    status = serializers.SerializerMethodField()
    opened_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ChoiceField(choices=EventStatus.choices))
    def get_status(self, event: SourcingEvent) -> str:
        return event_status(event, context_now(self)).value

    def to_representation(self, event: SourcingEvent) -> dict[str, Any]:
        data = super().to_representation(event)
        data["invited_vendors"] = invited_vendor_ids_visible(context_user(self), event)
        if not data["weights"].get("performance"):
            # An event that does not weigh track record reads as before the criterion existed.
            data["weights"].pop("performance", None)
        return data

    def _domain(self, data: dict[str, Any], event: SourcingEvent | None) -> dict[str, Any]:
        """Validated data in the domain functions' names (partial weights are completed)."""
        names = {"weight_cost": "cost", "weight_expertise": "expertise"}
        names |= {"weight_security": "security", "weight_language": "language"}
        names |= {"weight_performance": "performance"}
        given = {short: data.pop(long) for long, short in names.items() if long in data}
        if given:
            current = (
                {short: getattr(event, long) for long, short in names.items()} if event else {}
            )
            data["weights"] = current | given
        for key in ("channels", "languages", "desired_certifications", "fx_rates"):
            if key in data:
                data[key] = [_plain_data(item) for item in data[key]]
        return data

    def create(self, validated_data: dict[str, Any]) -> SourcingEvent:
        return event_create(**self._domain(validated_data, None), created_by=context_user(self))

    def update(self, instance: SourcingEvent, validated_data: dict[str, Any]) -> SourcingEvent:
        return event_update(
            event=instance,
            data=self._domain(validated_data, instance),
            by=context_user(self),
            now=context_now(self),
        )


# Proposals ----------------------------------------------------------------------------------


class RateField(DecimalNumber):
    """A rate with up to 4 decimals, shown with at least 2 (`37.13`, `0.725`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        number = Decimal(str(value)).quantize(Decimal("0.0001")).normalize()
        if number.as_tuple().exponent > -2:  # type: ignore[operator]
            number = number.quantize(Decimal("0.01"))
        return f"{number:f}"


class ProposalPriceComponentSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A hybrid component: a non-hybrid model, its rate, and its share of the volume or its
    scope (`bands` and/or `months`, instead of a share): the components of a scoped hybrid
    price every band of the event's channel in every month exactly once."""

    model = serializers.ChoiceField(choices=MODEL_CHOICES)
    rate = RateField()
    share = DecimalNumber(max_digits=5, decimal_places=4, required=False, allow_null=True)
    bands = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        help_text="the event's band names this component prices (empty: every band)",
    )
    months = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="calendar months 1-12 this component prices (empty: every month)",
    )


class ProposalChannelPriceSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """The price of one channel, or of all channels without their own price (channel null)."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES, allow_null=True, required=False)
    model = serializers.ChoiceField(choices=MODEL_CHOICES)
    rate = RateField(required=False, allow_null=True, help_text="unused for hybrid prices")
    components = ProposalPriceComponentSerializer(many=True, required=False)
    stated_hours = DecimalNumber(max_digits=10, decimal_places=2, allow_null=True, required=False)
    stated_fte = DecimalNumber(max_digits=8, decimal_places=2, allow_null=True, required=False)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["channel"] = data["channel"] or None  # stored as "" for all channels
        if data["model"] == PricingModel.HYBRID:
            data["rate"] = None  # a hybrid price's rates are its components'
        return data


class ProposalOneOffFeesSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """One-off fees as answered."""

    setup = serializers.DecimalField(max_digits=14, decimal_places=2, source="setup_fee")
    training = serializers.DecimalField(max_digits=14, decimal_places=2, source="training_fee")
    project_management = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="project_management_fee"
    )


class ProposalOneOffFeesInputSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """One-off fees as sent; a fee left out is 0."""

    setup = DecimalNumber(max_digits=14, decimal_places=2, required=False)
    training = DecimalNumber(max_digits=14, decimal_places=2, required=False)
    project_management = DecimalNumber(max_digits=14, decimal_places=2, required=False)


class ProposalMonthlyFeeSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A fixed monthly fee."""

    name = serializers.CharField()
    amount = DecimalNumber(max_digits=14, decimal_places=2)


class ProposalLanguageSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A language staffed, its level and the fraction of opening hours it covers."""

    tag = serializers.CharField()
    level = serializers.ChoiceField(choices=LanguageLevel.choices)
    hours_coverage = DecimalNumber(
        max_digits=5, decimal_places=4, required=False, default=Decimal(1)
    )


SEALED_FIELDS = frozenset(
    {"currency", "pricing", "one_off_fees", "monthly_fees", "minimum_monthly_charge", "languages"}
)


class ProposalSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A proposal as answered; the bid's content is null while `sealed` is true."""

    id = serializers.IntegerField()
    event = serializers.IntegerField(source="event_id")
    vendor = serializers.IntegerField(source="vendor_id")
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    sealed = serializers.SerializerMethodField(
        help_text="true until the bid deadline for buyer-side users: the fields below are null"
    )
    currency = serializers.CharField(allow_null=True)
    pricing = ProposalChannelPriceSerializer(many=True, source="prices", allow_null=True)
    one_off_fees = ProposalOneOffFeesSerializer(source="*", allow_null=True)
    monthly_fees = ProposalMonthlyFeeSerializer(many=True, allow_null=True)
    minimum_monthly_charge = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True
    )
    languages = ProposalLanguageSerializer(many=True, allow_null=True)

    def _visible(self, proposal: Proposal) -> bool:
        return proposal_prices_visible(context_user(self), proposal, context_now(self))

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_sealed(self, proposal: Proposal) -> bool:
        return not self._visible(proposal)

    def to_representation(self, proposal: Proposal) -> dict[str, Any]:
        """Sealed fields are never read from the proposal unless its prices are visible."""
        visible = self._visible(proposal)
        data: dict[str, Any] = {}
        for field in self._readable_fields:
            if field.field_name in SEALED_FIELDS and not visible:
                data[field.field_name] = None
                continue
            attribute = field.get_attribute(proposal)
            data[field.field_name] = (
                None if attribute is None else field.to_representation(attribute)
            )
        return data


class ProposalInputSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """What a vendor sends to submit or change its proposal (the proposal, if any, as
    `instance`): a key of the proposal as answered that cannot be sent is refused, by name."""

    def shown_fields(self) -> set[str]:
        return set(ProposalSerializer().fields)

    def current_values(self, proposal: Proposal) -> dict[str, Any]:
        return dict(ProposalSerializer(proposal, context=self.context).data)

    def frozen_fields(self, proposal: Proposal) -> dict[str, Frozen]:
        """Past the deadline the whole bid is frozen: 409 naming what was sent."""
        if not bids_frozen(proposal.event, context_now(self)):
            return {}
        reason = _("Bids are frozen since %(deadline)s.") % {
            "deadline": proposal.event.bid_deadline.isoformat()
        }
        return {name: Frozen(reason, conflict=True) for name in self.fields}

    currency = serializers.CharField(help_text="ISO 4217; needs an FX rate")
    pricing = ProposalChannelPriceSerializer(many=True)
    one_off_fees = ProposalOneOffFeesInputSerializer(required=False)
    monthly_fees = ProposalMonthlyFeeSerializer(many=True, required=False)
    minimum_monthly_charge = DecimalNumber(max_digits=14, decimal_places=2, required=False)
    languages = ProposalLanguageSerializer(many=True, required=False)

    def domain_values(self) -> dict[str, Any]:
        """The validated data as plain dicts and lists for the domain functions."""

        def plain(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return plain(dict(self.validated_data))


class ProposalCreateSerializer(ProposalInputSerializer):
    """A new proposal: the event it bids on, and its content."""

    event = serializers.IntegerField()


class ProposalRatingSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """An evaluator's 0-5 rating of a proposal; the evaluator is whoever sends it."""

    rating = serializers.IntegerField(min_value=0, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)

    class Meta:
        model = ProposalRating
        fields = ["id", "proposal", "evaluator", "rating", "comment", "created_at", "updated_at"]
        read_only_fields = ["id", "proposal", "evaluator", "created_at", "updated_at"]
