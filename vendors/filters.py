"""List filters of the vendors app; the API lists and the HTML lists use these same filtersets.

Proposals can be filtered and ordered only by fields that are never sealed (event, vendor,
status, submission time): no price can be probed through a filter before the deadline.
"""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.filters import FilterSet
from core.labels import CHANNEL_CHOICES
from vendors.models import EventStatus, Proposal, ProposalStatus, SourcingEvent, Vendor
from vendors.selectors import event_status_q
from vendors.services.validation import (
    InvalidValue,
    certification_key,
    language_subtag,
    language_tag,
)


class LanguageTagField(forms.CharField):
    """A BCP 47 tag in a query string, reduced to its language subtag (`nl-BE` -> `nl`)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return language_subtag(language_tag(value))
        except InvalidValue as error:
            # The reason may quote the input, which may hold a "%": a parameter, not the format.
            raise forms.ValidationError("%(reason)s", params={"reason": str(error)}) from error


class LanguageTagFilter(django_filters.CharFilter):
    """A language filter: any region of the language matches."""

    field_class = LanguageTagField


class VendorFilter(FilterSet):
    """Vendors by name, country, language, channel, industry and certification valid on a date."""

    name = django_filters.CharFilter(lookup_expr="icontains", help_text="part of the name")
    country = django_filters.CharFilter(method="filter_country", help_text="ISO 3166-1 alpha-2")
    language = LanguageTagFilter(
        method="filter_language", help_text="BCP 47 tag; `nl` matches nl, nl-NL and nl-BE"
    )
    channel = django_filters.ChoiceFilter(choices=CHANNEL_CHOICES, method="filter_channel")
    industry = django_filters.CharFilter(method="filter_industry", help_text="exact, any case")
    certification = django_filters.CharFilter(
        method="filter_certification",
        help_text="name, case- and space-insensitive; held and valid on `valid_on` (default today)",
    )
    valid_on = django_filters.DateFilter(
        method="filter_valid_on", help_text="the date `certification` must be valid on"
    )

    class Meta:
        model = Vendor
        fields: list[str] = []

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country=value.strip().upper())

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(languages__language=value).distinct()

    def filter_channel(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(served_channels__channel=value).distinct()

    def filter_industry(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(industries__industry__iexact=value.strip()).distinct()

    def filter_certification(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        day = self.form.cleaned_data.get("valid_on") or timezone.localdate()
        valid = Q(certifications__valid_until__isnull=True) | Q(
            certifications__valid_until__gte=day
        )
        return queryset.filter(valid, certifications__name_key=certification_key(value)).distinct()

    def filter_valid_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # read by filter_certification


class EventFilter(FilterSet):
    """Events by status (computed from the deadline, as everywhere) and currency."""

    status = django_filters.ChoiceFilter(choices=EventStatus.choices, method="filter_status")
    currency = django_filters.CharFilter(method="filter_currency")
    ordering = django_filters.OrderingFilter(fields=("bid_deadline", "created_at", "title"))

    class Meta:
        model = SourcingEvent
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(event_status_q(value, timezone.now()))

    def filter_currency(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(currency=value.strip().upper())


class ProposalFilter(FilterSet):
    """Proposals by event, vendor and status; ids are plain numbers so none can be probed."""

    event = django_filters.NumberFilter(field_name="event_id")
    vendor = django_filters.NumberFilter(field_name="vendor_id")
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices)
    ordering = django_filters.OrderingFilter(fields=("submitted_at", "id"))

    class Meta:
        model = Proposal
        fields: list[str] = []
