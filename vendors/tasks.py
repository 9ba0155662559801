"""Background jobs of the vendors app: e-mails to vendors.

E-mails never carry a price: they go to one vendor's own users and speak of the event. A move
of an open event's deadline goes to every invited vendor, with the new deadline (once a vendor
has bid, the other requirements are frozen, so a deadline move is the only change announced).
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.i18n import by_language
from outbox.services import mail_enqueue
from vendors.models import REQUIREMENT_FIELDS, ProposalStatus, SourcingEvent
from vendors.selectors import requirement_text

User = get_user_model()


def event_changes(*, history_id: int) -> list[str]:
    """What one historical version changed in the requirements, one readable line per field."""
    record = SourcingEvent.history.get(history_id=history_id)
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous, included_fields=list(REQUIREMENT_FIELDS))
    return [
        _("%(field)s: %(old)s -> %(new)s")
        % {
            "field": _LABELS.get(change.field, change.field),
            "old": requirement_text(change.old),
            "new": requirement_text(change.new),
        }
        for change in delta.changes
    ]


_LABELS = {
    "term_months": gettext_lazy("term (months)"),
    "bid_deadline": gettext_lazy("bid deadline"),
    "start_date": gettext_lazy("start date"),
    "max_occupancy": gettext_lazy("maximum occupancy"),
    "fte_hours": gettext_lazy("hours per FTE"),
    "weight_cost": gettext_lazy("cost weight"),
    "weight_expertise": gettext_lazy("expertise weight"),
    "weight_security": gettext_lazy("security weight"),
    "weight_language": gettext_lazy("language weight"),
    "weight_performance": gettext_lazy("performance (track record) weight"),
    "newcomer_performance": gettext_lazy("newcomer performance score"),
    "must_have_certifications": gettext_lazy("must-have certifications"),
    "desired_certifications": gettext_lazy("desired certifications"),
    "fx_rates": gettext_lazy("FX rates"),
    "minimum_notice_hours": gettext_lazy("minimum notice (hours)"),
}


def _deadline_moved(history_id: int) -> bool:
    """Whether one historical version of an event moved its bid deadline."""
    record = SourcingEvent.history.get(history_id=history_id)
    previous = record.prev_record
    return previous is not None and previous.bid_deadline != record.bid_deadline


def event_change_email(*, event_id: int, history_id: int) -> int:
    """E-mail (through the outbox) what one requirement change did: to each vendor with a live
    proposal, and to every invited vendor when the deadline moved (with the new deadline); how
    many vendors are told. Calling it again for the same change sends nothing twice."""
    event = SourcingEvent.objects.get(pk=event_id)
    changes = event_changes(history_id=history_id)
    if not changes:
        return 0
    bidders = set(
        event.proposals.exclude(status=ProposalStatus.WITHDRAWN)
        .values_list("vendor_id", flat=True)
        .distinct()
    )
    moved = _deadline_moved(history_id)
    vendor_ids = bidders | (
        set(event.invited_vendors.values_list("pk", flat=True)) if moved else set()
    )
    told = 0
    for vendor_id in sorted(vendor_ids):
        users = User.objects.filter(vendor_id=vendor_id, is_active=True).exclude(email="")
        for language, readers in sorted(by_language(users).items()):
            with translation.override(language):
                subject, body = _change_mail(event, history_id, moved, vendor_id in bidders)
            mail_enqueue(
                kind="event_change",
                object_ref=f"vendors.sourcingevent:{event.pk}",
                key=f"history:{history_id}",
                recipients=sorted(u.email for u in readers),
                subject=subject,
                body=body,
            )
        if users:
            told += 1
    return told


def _change_mail(event: SourcingEvent, history_id: int, moved: bool, bidder: bool):
    """The subject and body of an event-change e-mail, in the active language."""
    deadline = timezone.localtime(event.bid_deadline).strftime("%Y-%m-%d %H:%M %Z")
    what = [
        _('The buyer changed the requirements of the sourcing event "%(title)s".')
        % {"title": event.title},
        "",
        _("What changed:"),
        *(f"  - {line}" for line in event_changes(history_id=history_id)),
        "",
    ]
    if moved:
        what.insert(0, _("The bid deadline is now %(deadline)s.") % {"deadline": deadline})
        what.insert(1, "")
    if bidder:
        closing = _(
            "Your proposal stays submitted. You can review and change it until %(deadline)s."
        ) % {"deadline": deadline}
    else:
        closing = _("You can submit a proposal until %(deadline)s.") % {"deadline": deadline}
    if moved:
        subject = _("Bid deadline moved to %(deadline)s: %(title)s") % {
            "deadline": deadline,
            "title": event.title,
        }
    else:
        subject = _("Requirements changed: %(title)s") % {"title": event.title}
    return subject, "\n".join([*what, closing])


@shared_task(name="vendors.tasks.event_change_notify")
def event_change_notify(event_id: int, history_id: int) -> int:
    """Messages queued before the outbox existed: keep the e-mails (each is sent once)."""
    return event_change_email(event_id=event_id, history_id=history_id)


@shared_task(name="vendors.tasks.send_bid_reminders")
def send_bid_reminders() -> int:
    """Beat job, hourly: remind invited vendors without a bid 48 hours before the deadline."""
    from vendors.notices import bid_reminders_send

    return bid_reminders_send()
