"""E-mails to invited vendors about an event (through the outbox, once per user and step):
the invitation when the event opens, and a reminder 48 hours before the deadline to those
without a live bid. Each is rendered in its reader's language, the deadline in the vendor's
time zone (the product's when none is known), with a link to the portal's event page."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.people import instant_text, mail_users, site_link, zone_of
from vendors.models import EventStage, ProposalStatus, SourcingEvent

User = get_user_model()
REMINDER_BEFORE = timedelta(hours=48)


def _portal(event: SourcingEvent) -> str:
    return site_link(f"/portal/events/{event.pk}/")


def _vendor_users(vendor_ids):
    return (
        User.objects.filter(vendor_id__in=vendor_ids, is_active=True)
        .exclude(email="")
        .select_related("vendor")
        .order_by("pk")
    )


def event_invitation_mails(*, event_id: int) -> list[int]:
    """Invite every invited vendor's users to an open event; ids of new outbox rows (none when
    called again)."""
    event = SourcingEvent.objects.get(pk=event_id)

    def render(user) -> tuple[str, str]:
        deadline = instant_text(event.bid_deadline, zone_of(user, user.vendor))
        subject = _("Invitation to bid: %(title)s") % {"title": event.title}
        body = "\n".join([
            _('You are invited to bid on the sourcing event "%(title)s".') % {"title": event.title},
            "",
            _("Bid deadline: %(deadline)s") % {"deadline": deadline},
            _("The requirements and the proposal form: %(link)s") % {"link": _portal(event)},
        ])  # fmt: skip
        return subject, body

    invited = event.invited_vendors.values_list("pk", flat=True)
    return mail_users(kind="event_invitation", object_ref=f"vendors.sourcingevent:{event.pk}",
                      key="opened", users=_vendor_users(invited), render=render)  # fmt: skip


def bid_reminders_send(*, now: datetime | None = None) -> int:
    """Remind, 48 hours or less before an open event's deadline, the invited vendors without a
    live bid (once per user and deadline; a moved deadline is reminded of again); how many
    e-mails were newly kept."""
    now = now or timezone.now()
    due = SourcingEvent.objects.filter(
        stage=EventStage.OPEN, bid_deadline__gt=now, bid_deadline__lte=now + REMINDER_BEFORE
    ).order_by("pk")
    kept = 0
    for event in due:
        bidders = event.proposals.filter(status=ProposalStatus.SUBMITTED).values("vendor_id")
        silent = event.invited_vendors.exclude(pk__in=bidders).values_list("pk", flat=True)

        def render(user, event=event) -> tuple[str, str]:
            deadline = instant_text(event.bid_deadline, zone_of(user, user.vendor))
            subject = _("Reminder: bids for %(title)s close on %(deadline)s") % {
                "title": event.title, "deadline": deadline,
            }  # fmt: skip
            body = "\n".join([
                _('We have no proposal from you yet for "%(title)s".') % {"title": event.title},
                _("Bid deadline: %(deadline)s") % {"deadline": deadline},
                _("Submit your proposal here: %(link)s") % {"link": _portal(event)},
            ])  # fmt: skip
            return subject, body

        kept += len(
            mail_users(
                kind="bid_reminder",
                object_ref=f"vendors.sourcingevent:{event.pk}",
                key=f"deadline:{event.bid_deadline.isoformat()}",
                users=_vendor_users(silent),
                render=render,
            )  # fmt: skip
        )
    return kept
