"""The demo's split award: a 2027 event whose Dutch phone line stays onshore with Polder
(native Dutch, a dedicated team) while chat and e-mail go offshore to Manila BayServe, with
the written justification a split needs. Idempotent: an awarded event is left as it is."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from contracts.services.award import SplitPart, contracts_award
from vendors.models import EventStage, Proposal, ProposalStatus, SourcingEvent, Vendor

SPLIT_EVENT_TITLE = "Customer service NL/EN/DE 2027, split award"
SPLIT_REFERENCES = {"phone": "POLDER-NL-27", "offshore": "MANILA-PH-27"}
JUSTIFICATION = (
    "Dutch callers stay with an onshore, native-Dutch dedicated team (Polder: best references, "
    "hourly by day and in the holiday peak). Chat and e-mail are written channels where "
    "Manila BayServe's strong English and low hourly rates give the lowest cost; German "
    "coverage is thin there, so German phone contacts stay with Polder."
)


def _deadline() -> datetime:
    """Three weeks ago at 17:00 local time."""
    local = timezone.localtime() - timedelta(days=21)
    return local.replace(hour=17, minute=0, second=0, microsecond=0)


def split_award_event(*, vendors: dict[str, Vendor], procurement) -> SourcingEvent:
    """Create (once) the event, its four bids, and award it as a split."""
    from demo.loader import MANILA, POLDER, past_event, proposals_submit

    deadline = _deadline()
    start = max(date(2027, 1, 1), (deadline + timedelta(days=45)).date().replace(day=1))
    event = past_event(title=SPLIT_EVENT_TITLE, deadline=deadline, start=start, vendors=vendors,
                       procurement=procurement, seasonal=True)  # fmt: skip
    proposals_submit(event, vendors, procurement)
    event.refresh_from_db()
    if event.stage == EventStage.AWARDED:
        return event
    live = {
        p.vendor.name: p.pk
        for p in Proposal.objects.filter(
            event=event, status=ProposalStatus.SUBMITTED
        ).select_related("vendor")
    }
    contracts_award(
        event=event,
        parts=[
            SplitPart(live[POLDER], ("phone",), SPLIT_REFERENCES["phone"]),
            SplitPart(live[MANILA], ("chat", "email"), SPLIT_REFERENCES["offshore"]),
        ],
        start_date=event.start_date,
        justification=JUSTIFICATION,
        user=procurement,
    )
    return event
