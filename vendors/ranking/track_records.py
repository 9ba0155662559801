"""Where the ranking's "performance" criterion reads vendors' track records from.

The target-month statuses are kpis' (a higher layer), so vendors never imports them: kpis
registers a provider here in its AppConfig.ready. A provider is a callable
`(vendor_ids, from_month, to_month) -> {vendor_id: {status: count}}` over the months from
`from_month` to `to_month` (first days, both included), answering for every vendor at once (one
query, whatever the number of bidders). With no provider every vendor is a newcomer.
"""

from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime

from django.utils import timezone

from core.months import add_months
from vendors.domain.track_record import STATUSES, TrackRecord, track_record_of

# The months before the bid deadline the ranking reads (DOMAIN.md: "the 12 months before").
WINDOW_MONTHS = 12

TrackRecordProvider = Callable[[Collection[int], date, date], Mapping[int, Mapping[str, int]]]
_PROVIDERS: list[TrackRecordProvider] = []


def track_records_register(provider: TrackRecordProvider) -> None:
    """Register the source of target-month counts (kpis does; once is enough)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def track_record_window(deadline: datetime) -> tuple[date, date]:
    """The 12 whole months before the deadline's month: a deadline in 2027-03 reads
    2026-03..2027-02 (the deadline's own month is not over yet)."""
    month = timezone.localtime(deadline).date().replace(day=1)
    return add_months(month, -WINDOW_MONTHS), add_months(month, -1)


def vendor_track_records(
    *, vendor_ids: Collection[int], from_month: date, to_month: date
) -> dict[int, TrackRecord]:
    """Every vendor's track record over the months (a newcomer's zero counts when unknown)."""
    counts: dict[int, dict[str, int]] = {v: dict.fromkeys(STATUSES, 0) for v in vendor_ids}
    if vendor_ids:
        for provider in _PROVIDERS:
            for vendor_id, found in provider(vendor_ids, from_month, to_month).items():
                mine = counts.setdefault(vendor_id, dict.fromkeys(STATUSES, 0))
                for status in STATUSES:
                    mine[status] += int(found.get(status, 0))
    return {v: track_record_of(**c) for v, c in counts.items()}
