"""Django admin of the vendors app: read-only views (writes go through the domain functions).

Sealed bids: the proposal admin shows a proposal's amounts only when
`proposal_prices_visible` allows it (after the bid deadline for buyer-side users), never in the
changelist, and the price, fee and language models are not registered at all. Its changelist
filters only on who bid, on what and when (`PUBLIC_LOOKUPS`): Django's admin otherwise accepts a
lookup on any local field from the query string whatever `list_filter` says
(`?setup_fee=11111`), which would let an admin binary-search a sealed amount; any other lookup
is refused with a 400 (DisallowedModelAdminLookup).
"""

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from vendors.models import (
    Proposal,
    SourcingEvent,
    Vendor,
    VendorCertification,
    VendorChannel,
    VendorIndustry,
    VendorLanguage,
)
from vendors.selectors import event_status, proposal_prices_visible


class ReadOnlyAdminMixin:
    """View-only admin: adding, changing and deleting go through the API and pages."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VendorChannelInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = VendorChannel
    extra = 0


class VendorLanguageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = VendorLanguage
    extra = 0
    fields = ("tag", "level")


class VendorCertificationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = VendorCertification
    extra = 0
    fields = ("name", "valid_until")


class VendorIndustryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = VendorIndustry
    extra = 0


@admin.register(Vendor)
class VendorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "country", "headcount")
    list_filter = ("country",)
    search_fields = ("name",)
    inlines = [
        VendorChannelInline,
        VendorLanguageInline,
        VendorCertificationInline,
        VendorIndustryInline,
    ]


@admin.register(SourcingEvent)
class SourcingEventAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "currency", "shown_status", "bid_deadline", "start_date")
    search_fields = ("title",)
    filter_horizontal = ("invited_vendors",)

    @admin.display(description="status")
    def shown_status(self, event: SourcingEvent) -> str:
        return event_status(event, timezone.now()).label


PUBLIC_PROPOSAL_FIELDS = ("event", "vendor", "status", "submitted_at", "updated_at", "withdrawn_at")
SEALED_PROPOSAL_FIELDS = (
    "currency",
    "pricing_summary",
    "setup_fee",
    "training_fee",
    "project_management_fee",
    "monthly_fees_summary",
    "minimum_monthly_charge",
    "languages_summary",
)


# Fields of a proposal that say who bid on what and when: never sealed, so filterable.
PUBLIC_LOCAL_LOOKUPS = frozenset(
    {"id", "pk", "status", "submitted_at", "updated_at", "withdrawn_at"}
)
# Related rows by their id only (`?event__id__exact=3`, the list filter's own parameter).
PUBLIC_RELATIONS = frozenset({"event", "vendor"})
ID_LOOKUPS = frozenset({"id", "pk", "exact", "in", "isnull"})


def proposal_lookup_public(lookup: str) -> bool:
    """Whether a changelist lookup reads only a proposal's public facts (never a sealed one)."""
    root, *rest = lookup.split(LOOKUP_SEP)
    if root in PUBLIC_LOCAL_LOOKUPS:
        return True
    return root in PUBLIC_RELATIONS and all(part in ID_LOOKUPS for part in rest)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "event", "vendor", "status", "submitted_at")
    list_filter = ("status", "event")
    search_fields = ("vendor__name", "event__title")
    list_select_related = ("event", "vendor")

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        # A sealed field (or a path to one through a relation) is refused before Django's own
        # rule, which admits every local field.
        if not proposal_lookup_public(lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_fields(self, request, obj=None):
        if obj is not None and proposal_prices_visible(request.user, obj, timezone.now()):
            return PUBLIC_PROPOSAL_FIELDS + SEALED_PROPOSAL_FIELDS
        return PUBLIC_PROPOSAL_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="pricing")
    def pricing_summary(self, proposal: Proposal) -> str:
        lines = []
        for price in proposal.prices.prefetch_related("components"):
            parts = ", ".join(f"{c.model} {c.rate} x {c.share}" for c in price.components.all())
            text = parts or f"{price.model} {price.rate}"
            if price.stated_hours is not None:
                text += f", stated hours {price.stated_hours}"
            if price.stated_fte is not None:
                text += f", stated FTE {price.stated_fte}"
            lines.append(f"{price.channel or 'all channels'}: {text}")
        return "; ".join(lines)

    @admin.display(description="monthly fees")
    def monthly_fees_summary(self, proposal: Proposal) -> str:
        return "; ".join(f"{fee.name} {fee.amount}" for fee in proposal.monthly_fees.all())

    @admin.display(description="languages")
    def languages_summary(self, proposal: Proposal) -> str:
        return "; ".join(
            f"{lang.tag} {lang.level} ({lang.hours_coverage})" for lang in proposal.languages.all()
        )
