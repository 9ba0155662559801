"""`GET /api/v1/events/{id}/ranking/` (API.md): an event's ranking, with what-if weights.

Buyer-side users read it after the bid deadline (409 before, sealed bids); vendor users never
(404). The answer is `vendors.ranking.Comparison`: the same rounded figures as the comparison
page and its exports. Names and shapes of API.md's fields are fixed; the rest are additions.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Conflict
from core.labels import CHANNEL_CHOICES
from vendors.domain.pricing import PricingModel
from vendors.domain.scoring import Weights, WeightsError, parse_weights_query
from vendors.ranking import RankingSealed, comparison_for, ranking_readable, weights_messages
from vendors.ranking.payload import ranking_data, unweighed_performance_dropped
from vendors.selectors import events_visible_to

MODELS = [m.value for m in PricingModel]
CENT = Decimal("0.01")
WEIGHTS_HINT = (
    "Use ?weights=cost:40,expertise:20,security:20,language:20: "
    "the criteria, whole numbers 0-100 summing to 100 (performance:N optional, default 0)."
)


class MoneyField(serializers.DecimalField):
    """A money amount as a decimal string, half-up to cents (`"1234.50"`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("rounding", ROUND_HALF_UP)
        super().__init__(**kwargs)


class FigureField(MoneyField):
    """A score, percentage, hours or other figure: a decimal string, half-up to two places."""


class InputDecimalField(serializers.DecimalField):
    """A figure as it was entered (a rate, a share, an FX rate), unrounded."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", None)
        kwargs.setdefault("decimal_places", None)
        super().__init__(**kwargs)


class RankingWeightsSerializer(serializers.Serializer):
    """Criterion weights, whole numbers summing to 100."""

    cost = serializers.IntegerField()
    expertise = serializers.IntegerField()
    security = serializers.IntegerField()
    language = serializers.IntegerField()
    performance = serializers.IntegerField(
        required=False,
        help_text="the track record criterion; left out when neither the event nor the what-if "
        "weighs it",
    )


class RankingScoresSerializer(serializers.Serializer):
    """The five 0-100 scores, two places."""

    cost = FigureField()
    expertise = FigureField()
    security = FigureField()
    language = FigureField()
    performance = FigureField(
        required=False,
        help_text="the vendor's track record, or the event's newcomer_performance for a "
        "newcomer; left out when nothing weighs track record",
    )


class TrackRecordSerializer(serializers.Serializer):
    """The vendor's target-months (every contract, critical and key targets) in the 12 months
    before the bid deadline: score = 100 x (met + 0.5 x warning) / judged."""

    judged = serializers.IntegerField(help_text="met + warning + breach + missing")
    met = serializers.IntegerField()
    warning = serializers.IntegerField()
    breach = serializers.IntegerField()
    missing = serializers.IntegerField()
    newcomer = serializers.BooleanField(help_text="fewer than 6 judged: no track record")
    score = FigureField(allow_null=True, help_text="null for a newcomer")
    performance = FigureField(help_text="the performance score used (newcomer: the event's)")
    newcomer_performance = FigureField(help_text="the event's score for a newcomer")
    period_from = serializers.CharField(allow_null=True, help_text="YYYY-MM")
    period_to = serializers.CharField(allow_null=True, help_text="YYYY-MM")


class FlipSerializer(serializers.Serializer):
    """Where the first-ranked proposal changes as one weight moves (the others in proportion)."""

    flip_weight = FigureField(help_text="the criterion's weight, nearest today's, two places")
    new_winner = serializers.IntegerField(help_text="the proposal that would then rank first")


class SensitivitySerializer(serializers.Serializer):
    """Per criterion, where the first-ranked proposal changes; null when robust (0-100)."""

    cost = FlipSerializer(allow_null=True)
    expertise = FlipSerializer(allow_null=True)
    security = FlipSerializer(allow_null=True)
    language = FlipSerializer(allow_null=True)
    performance = FlipSerializer(
        allow_null=True, required=False, help_text="left out when nothing weighs track record"
    )


class SensitivityLineSerializer(serializers.Serializer):
    """One criterion's sensitivity in words."""

    criterion = serializers.CharField()
    weight = serializers.IntegerField(help_text="the weight used today")
    flip_weight = FigureField(allow_null=True)
    new_winner = serializers.IntegerField(allow_null=True, help_text="proposal id")
    new_winner_name = serializers.CharField(allow_null=True, help_text="its vendor's name")
    sentence = serializers.CharField()


class StaffingSerializer(serializers.Serializer):
    """A channel's required staffing: Erlang C for phone and chat, workload for the others."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    realtime = serializers.BooleanField()
    monthly_volume = serializers.IntegerField()
    aht_seconds = serializers.IntegerField()
    opening_hours = FigureField()
    sl_target_percent = FigureField(allow_null=True)
    sl_seconds = serializers.IntegerField(allow_null=True)
    arrivals_per_hour = FigureField(allow_null=True)
    traffic_erlangs = FigureField(allow_null=True, help_text="A = arrivals per hour x AHT / 3600")
    agents = serializers.IntegerField(allow_null=True, help_text="N from Erlang C")
    service_level_percent = FigureField(allow_null=True, help_text="achieved with N agents")
    occupancy_percent = FigureField()
    workload_hours = FigureField()
    production_hours = FigureField(help_text="required: N x opening hours, or workload / occupancy")
    paid_hours = FigureField(help_text="production hours / (1 - shrinkage)")
    required_fte = serializers.IntegerField(help_text="ceil(paid hours / fte_hours)")


class BandMonthSerializer(serializers.Serializer):
    """One band of a real-time channel in one month: Erlang C, or Erlang A with a patience."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    band = serializers.CharField(help_text="the event's band name (`all` without bands)")
    month = serializers.CharField(
        help_text="YYYY-MM: the first month of the term in that calendar month"
    )
    calendar_month = serializers.IntegerField(help_text="1-12")
    hours = FigureField(help_text="the band's hours in the month")
    volume = FigureField(help_text="monthly volume x month factor x band share")
    arrival_rate = FigureField(help_text="contacts an hour: volume / band hours")
    traffic = FigureField(help_text="Erlangs: arrival rate x AHT / 3600")
    agents = serializers.IntegerField(help_text="N by the rule (service level, occupancy cap)")
    service_level = FigureField(help_text="percent of all offered contacts answered in time")
    occupancy = FigureField(help_text="percent")
    p_abandon = FigureField(
        allow_null=True, help_text="percent of offered contacts abandoning (Erlang A); null: C"
    )
    production_hours = FigureField(help_text="agents x band hours")


class MonthCostSerializer(serializers.Serializer):
    """A month of the term and its cost: charge with minimum + fixed fees, event currency."""

    month = serializers.CharField(help_text="YYYY-MM")
    calendar_month = serializers.IntegerField()
    cost = MoneyField()


class ShortfallSerializer(serializers.Serializer):
    """Where a bid's stated hours or FTE fall below a month's required total."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    month = serializers.CharField(help_text="YYYY-MM")
    calendar_month = serializers.IntegerField()
    band = serializers.CharField(allow_null=True, help_text="null: the channel as a whole")
    required_hours = FigureField(help_text="the month's required production hours")
    stated_hours = FigureField(help_text="stated hours, or stated FTE as production hours")
    agents_needed = serializers.IntegerField(allow_null=True)
    agents_stated = FigureField(
        allow_null=True, help_text="the stated hours spread evenly over the opening hours"
    )
    sentence = serializers.CharField()


def _text(value: Any) -> str | None:
    """A rounded Decimal as the API writes it (already half-up to its places in figures)."""
    return None if value is None else f"{value:f}"


def band_month_data(rows: Any) -> list[dict[str, Any]]:
    """`BandMonthSerializer`'s shape built directly: thousands of rows, serialised fast."""
    return [
        {
            "channel": r.channel, "band": r.band, "month": r.month,
            "calendar_month": r.calendar_month, "hours": _text(r.hours.quantize(CENT)),
            "volume": _text(r.volume), "arrival_rate": _text(r.arrival_rate),
            "traffic": _text(r.traffic), "agents": r.agents,
            "service_level": _text(r.service_level), "occupancy": _text(r.occupancy),
            "p_abandon": _text(r.p_abandon), "production_hours": _text(r.production_hours),
        }
        for r in rows
    ]  # fmt: skip


def month_cost_data(month: Any) -> dict[str, Any] | None:
    """`MonthCostSerializer`'s shape built directly."""
    if month is None:
        return None
    return {"month": month.month, "calendar_month": month.calendar_month, "cost": _text(month.cost)}


class ChannelFiguresSerializer(serializers.Serializer):
    """One channel of a bid: the price that applied, required vs stated vs billed figures."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    model = serializers.ChoiceField(choices=MODELS)
    price_channel = serializers.CharField(
        allow_null=True, help_text="the channel whose price applied; null: the all-channels price"
    )
    dedicated = serializers.BooleanField(help_text="billed on hours or FTE (priced figures matter)")
    staffing = StaffingSerializer()
    required_production_hours = FigureField()
    stated_hours = FigureField(allow_null=True)
    production_hours = FigureField(help_text="priced: the larger of stated and required")
    required_fte = serializers.IntegerField()
    stated_fte = FigureField(allow_null=True)
    fte = FigureField(help_text="priced: the larger of stated and required")
    understaffed = serializers.BooleanField()
    contacts = FigureField()
    handled_minutes = FigureField()
    monthly_cost = MoneyField(allow_null=True, help_text="this channel's lines, event currency")


class PricedLineSerializer(serializers.Serializer):
    """One billed line in the proposal's currency: rate x quantity = amount."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    model = serializers.ChoiceField(choices=MODELS)
    share = InputDecimalField(allow_null=True, help_text="a hybrid component's share")
    rate = InputDecimalField()
    quantity = FigureField()
    amount = MoneyField()


class MonthlyFeeFigureSerializer(serializers.Serializer):
    """A fixed monthly fee in the proposal's currency."""

    name = serializers.CharField()
    amount = MoneyField()


class PriceTotalsSerializer(serializers.Serializer):
    """A month's totals in one currency; the minimum applies before the fixed fees."""

    currency = serializers.CharField()
    usage_charge = MoneyField()
    monthly_charge = MoneyField(help_text="max(usage charge, minimum)")
    fixed_fees = MoneyField()
    monthly_total = MoneyField(help_text="monthly charge + fixed fees")
    one_off_fees = MoneyField()


class PricingFiguresSerializer(serializers.Serializer):
    """How the forecast month was priced: lines, minimum, fees, FX, totals."""

    lines = PricedLineSerializer(many=True)
    minimum_monthly_charge = MoneyField()
    minimum_applied = serializers.BooleanField()
    monthly_fees = MonthlyFeeFigureSerializer(many=True)
    fx_rate = InputDecimalField(help_text="event-currency units per unit of the quoted currency")
    quoted = PriceTotalsSerializer(help_text="in the proposal's currency")
    converted = PriceTotalsSerializer(help_text="in the event's currency")


class LanguageTermSerializer(serializers.Serializer):
    """A required language's contribution: share x proficiency x hours coverage."""

    tag = serializers.CharField()
    share = InputDecimalField()
    matched_tag = serializers.CharField(allow_null=True)
    level = serializers.CharField(allow_null=True)
    proficiency = InputDecimalField()
    hours_coverage = InputDecimalField()
    points = FigureField(help_text="100 x share x proficiency x hours coverage")


class CertificationTermSerializer(serializers.Serializer):
    """A desired certification and whether it is held, valid on the start date."""

    name = serializers.CharField()
    points = serializers.IntegerField()
    held = serializers.BooleanField()


class ExpertiseTermsSerializer(serializers.Serializer):
    """The inputs of the expertise score; median_rating null means provisional."""

    industry_years = InputDecimalField(help_text="capped at 10")
    channel_share = FigureField()
    median_rating = InputDecimalField(allow_null=True)


class ScoreFormulasSerializer(serializers.Serializer):
    """Each score and the total spelt out with their numbers."""

    cost = serializers.CharField()
    expertise = serializers.CharField()
    security = serializers.CharField()
    language = serializers.CharField()
    total = serializers.CharField()
    performance = serializers.CharField()


class ExplanationSerializer(serializers.Serializer):
    """How every figure of one proposal was computed (an addition to API.md's shape)."""

    currency = serializers.CharField(allow_null=True, help_text="the proposal's currency")
    fx_rate = InputDecimalField(allow_null=True)
    term_months = serializers.IntegerField()
    channels = ChannelFiguresSerializer(many=True)
    pricing = PricingFiguresSerializer(allow_null=True)
    tco_formula = serializers.CharField(
        allow_null=True, help_text="one-off fees + term_months x monthly total = TCO"
    )
    languages_from = serializers.ChoiceField(choices=["proposal", "vendor profile"])
    languages = LanguageTermSerializer(many=True)
    certifications = CertificationTermSerializer(many=True)
    expertise = ExpertiseTermsSerializer()
    formulas = ScoreFormulasSerializer(allow_null=True)


class RankingResultSerializer(serializers.Serializer):
    """One proposal's row; amounts in the event's currency."""

    proposal = serializers.IntegerField()
    vendor = serializers.IntegerField()
    vendor_name = serializers.CharField()
    rank = serializers.IntegerField()
    qualified = serializers.BooleanField()
    disqualification_reasons = serializers.ListField(child=serializers.CharField())
    provisional = serializers.BooleanField(help_text="no evaluator rating yet")
    tco = MoneyField(allow_null=True)
    monthly_cost = MoneyField(allow_null=True)
    minimum_top_up = MoneyField(allow_null=True, help_text="what the minimum charge added")
    fixed_fees = MoneyField(allow_null=True)
    cost_per_contact = MoneyField(allow_null=True, help_text="monthly cost / monthly contacts")
    understaffed = serializers.ListField(
        child=serializers.CharField(),
        help_text="channels whose stated hours or FTE are below the required (priced on those)",
    )
    scores = RankingScoresSerializer(allow_null=True, help_text="null: disqualified")
    total = FigureField(allow_null=True)
    language_coverage = FigureField(
        allow_null=True,
        help_text="percent (0-100) of the volume the proposal serves at B2 or better: "
        "100 x the sum over the event's languages of share x the largest hours coverage "
        "offered at B2, C1, C2 or native (any region); null when the event states no language",
    )
    track_record = TrackRecordSerializer(allow_null=True)
    explanation = ExplanationSerializer()
    # Built as plain data (thousands of rows at 200 bids); the schema names the serializers.
    monthly_costs = serializers.SerializerMethodField(
        help_text="every month of the term; monthly_cost is their average"
    )
    peak_month = serializers.SerializerMethodField(help_text="the dearest month")
    low_month = serializers.SerializerMethodField(help_text="the cheapest month")
    staffing = serializers.SerializerMethodField(
        help_text="band x channel staffing of the peak and the low month"
    )
    shortfalls = ShortfallSerializer(many=True, help_text="understaffing by month and band")

    @extend_schema_field(MonthCostSerializer(many=True))
    def get_monthly_costs(self, row: Any) -> list[dict[str, Any]]:
        return [
            {"month": m.month, "calendar_month": m.calendar_month, "cost": _text(m.cost)}
            for m in row.monthly_costs
        ]

    @extend_schema_field(MonthCostSerializer(allow_null=True))
    def get_peak_month(self, row: Any) -> dict[str, Any] | None:
        return month_cost_data(row.peak_month)

    @extend_schema_field(MonthCostSerializer(allow_null=True))
    def get_low_month(self, row: Any) -> dict[str, Any] | None:
        return month_cost_data(row.low_month)

    @extend_schema_field(BandMonthSerializer(many=True))
    def get_staffing(self, row: Any) -> list[dict[str, Any]]:
        return band_month_data(row.staffing)


class RankingSerializer(serializers.Serializer):
    """An event's ranking (API.md `events/{id}/ranking/`) with its explanations."""

    currency = serializers.CharField()
    provisional = serializers.BooleanField()
    weights = RankingWeightsSerializer()
    what_if = serializers.BooleanField(help_text="true: the weights are not the event's saved")
    event_weights = RankingWeightsSerializer()
    results = RankingResultSerializer(many=True, source="rows")
    sensitivity = SensitivitySerializer(source="flips")
    sensitivity_explained = SensitivityLineSerializer(many=True, source="sensitivity")
    staffing = StaffingSerializer(many=True)
    staffing_grid = serializers.SerializerMethodField(
        help_text="every real-time channel x band x calendar month of the term"
    )

    @extend_schema_field(BandMonthSerializer(many=True))
    def get_staffing_grid(self, comparison: Any) -> list[dict[str, Any]]:
        return band_month_data(comparison.staffing_grid)

    def to_representation(self, comparison: Any) -> dict[str, Any]:
        data = super().to_representation(comparison)
        return unweighed_performance_dropped(data, comparison)


DETAIL = inline_serializer("RankingDetail", fields={"detail": serializers.CharField()})


def weights_from_query(text: str | None) -> Weights | None:
    """What-if weights from `?weights=`, None when absent; a 400 naming every problem."""
    if text is None:
        return None
    try:
        return parse_weights_query(text=text)
    except WeightsError as error:
        raise ValidationError({"weights": [*weights_messages(error), WEIGHTS_HINT]}) from error


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a ranking is built, then restored.

    Ranking 200 bids with profiles allocates some hundred thousand short-lived containers that
    reference counting frees; the collector's passes over them (and the whole heap) cost about
    a third of the request (docs/benchmarks.md). Nothing is leaked: cycles made meanwhile are
    collected by the next pass after it is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class EventRankingView(APIView):
    """An event's ranking for buyer-side users after the deadline; vendor users get a 404."""

    @extend_schema(
        operation_id="events_ranking_retrieve",
        summary="Rank an event's proposals (after the bid deadline; buyer-side users)",
        description=(
            "Scores, ranks and explains the live proposals. `?weights=` ranks with what-if "
            "weights without saving them. Money is half-up to cents in the event's currency, "
            "scores and totals to two places. 409 before the bid deadline (sealed bids); 404 "
            "for vendor users."
        ),
        tags=["events"],
        parameters=[
            OpenApiParameter(
                "weights",
                OpenApiTypes.STR,
                description="What-if weights, e.g. cost:40,expertise:20,security:20,language:20",
                examples=[
                    OpenApiExample("what-if", value="cost:40,expertise:20,security:20,language:20")
                ],
            )
        ],
        responses={
            200: RankingSerializer,
            400: OpenApiResponse(
                inline_serializer(
                    "RankingWeightsError",
                    fields={"weights": serializers.ListField(child=serializers.CharField())},
                ),
                description="Unusable what-if weights",
            ),
            404: OpenApiResponse(DETAIL, description="No such event, or a vendor user"),
            409: OpenApiResponse(DETAIL, description="Bids are sealed until the deadline"),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        if not ranking_readable(request.user):
            raise NotFound()
        event = get_object_or_404(events_visible_to(request.user), pk=pk)
        weights = weights_from_query(request.query_params.get("weights"))
        try:
            with gc_paused():
                comparison = comparison_for(
                    user=request.user, event=event, now=timezone.now(), weights=weights
                )
                # RankingSerializer's output built as plain data (vendors/ranking/payload.py).
                data = ranking_data(comparison)
        except RankingSealed as sealed:
            raise Conflict(str(sealed)) from None
        return Response(data)
