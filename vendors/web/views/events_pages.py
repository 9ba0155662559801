"""Sourcing event pages: list, detail (requirements, bidders, ratings, history), forms, open."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Conflict
from core.roles import Role
from vendors.filters import EventFilter
from vendors.models import EventStatus, SourcingEvent
from vendors.selectors import (
    bids_of_event,
    event_has_live_bids,
    event_history,
    event_status,
    events_visible_to,
    rating_median,
    with_bid_counts,
    with_own_proposals,
    with_status,
)
from vendors.services.events import event_create, event_open, event_update
from vendors.web.forms.event import EventForms
from vendors.web.forms.proposal import RatingForm
from vendors.web.forms.vendor import COMMON_CERTIFICATIONS
from vendors.web.views.access import EVENT_WRITERS, require_role, require_writer, url_or_none

PAGE_SIZE = 25
EDITABLE = (EventStatus.DRAFT, EventStatus.OPEN)  # event_update's own rule


@login_required
def event_index(request):
    """Events with the API's filters; a vendor user sees the events it is invited to."""
    role = require_role(request)
    events = events_visible_to(request.user).order_by("-bid_deadline", "-id")
    if role == Role.VENDOR:
        events = with_own_proposals(events, request.user.vendor_id)
    else:
        events = with_bid_counts(events)
    found = EventFilter(request.GET, queryset=events)
    status_field = found.form.fields["status"]
    status_field.empty_label = _("any status")
    status_field.choices = EventStatus.choices  # rebuilt with the label above
    rows = found.qs if found.is_valid() else events.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_status(page.object_list, timezone.now())
    context = {
        "filter": found,
        "page": page,
        "vendor_view": role == Role.VENDOR,
        "can_create": role in EVENT_WRITERS,
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    }
    return render(request, "vendors/event_index.html", context)


def _invitations(event: SourcingEvent, bids) -> list[dict]:
    """Each invited vendor with its latest proposal (status and times only), by name."""
    latest = {}
    for bid in bids:
        latest.setdefault(bid.vendor_id, bid)
    return [{"vendor": v, "bid": latest.get(v.pk)} for v in event.invited_vendors.all()]


def _rating_row(user, bid) -> dict:
    """A live bid with its ratings, their median and the user's own rating as a form."""
    own = next((r for r in bid.ratings if r.evaluator_id == user.pk), None)
    initial = {"rating": own.rating, "comment": own.comment} if own else None
    form = RatingForm(initial=initial, prefix=f"r{bid.pk}")
    return {"bid": bid, "median": rating_median(bid), "own": own, "form": form}


@login_required
def event_detail(request, pk: int):
    """What the buyer needs, who is invited, who bid and when; prices only after the deadline."""
    role = require_role(request)
    event = get_object_or_404(events_visible_to(request.user), pk=pk)
    if role == Role.VENDOR:
        return redirect("portal-event", pk=event.pk)
    now = timezone.now()
    status = event_status(event, now)
    # Past the deadline (closed or awarded): bids are frozen and unsealed, ratings are given.
    frozen = status in (EventStatus.CLOSED, EventStatus.AWARDED)
    bids = bids_of_event(request.user, event, now, ratings=frozen)
    context = {
        "event": event,
        "status": status,
        "frozen": frozen,
        "rated": [_rating_row(request.user, bid) for bid in bids if bid.live] if frozen else [],
        "invitations": _invitations(event, bids),
        "can_write": role in EVENT_WRITERS,
        "editable": status in EDITABLE,
        "requirements_frozen": status == EventStatus.OPEN and event_has_live_bids(event),
        "can_rate": role == Role.PROCUREMENT and frozen,
        "comparison_url": url_or_none("event-comparison", event.pk) if frozen else None,
        "award_url": (
            url_or_none("contract-award", event.pk) if frozen and role == Role.PROCUREMENT else None
        ),
        "history": event_history(event),
    }
    return render(request, "vendors/event_detail.html", context)


def _form_page(request, forms: EventForms, event: SourcingEvent | None):
    context = {
        "forms": forms,
        "event": event,
        "certification_names": COMMON_CERTIFICATIONS,
        "requirements_frozen": (
            event is not None
            and event_status(event, timezone.now()) == EventStatus.OPEN
            and event_has_live_bids(event)
        ),
    }
    return render(request, "vendors/event_form.html", context)


@login_required
def event_new(request):
    """A draft event: requirements, weights and invitations (procurement, admin)."""
    require_writer(request, EVENT_WRITERS)
    forms = EventForms(request.POST or None)
    if request.method == "POST" and forms.is_valid():
        try:
            event = event_create(**forms.values(), created_by=request.user)
        except ValidationError as error:
            forms.show(error)
        else:
            messages.success(request, _("Draft event created. Open it when it is ready."))
            return redirect("event-detail", pk=event.pk)
    return _form_page(request, forms, None)


@login_required
def event_edit(request, pk: int):
    """Change an event until its deadline; once bids exist its requirements are frozen (a form
    error naming them, nothing saved); a deadline move is e-mailed to the invited vendors."""
    require_writer(request, EVENT_WRITERS)
    event = get_object_or_404(events_visible_to(request.user), pk=pk)
    if event_status(event, timezone.now()) not in EDITABLE:
        messages.error(request, _("The requirements are frozen since the bid deadline."))
        return redirect("event-detail", pk=event.pk)
    forms = EventForms(request.POST or None, event=event)
    if request.method == "POST" and forms.is_valid():
        try:
            event_update(event=event, data=forms.values(), by=request.user)
        except Conflict as error:
            if not error.fields:  # the whole event is frozen (the deadline passed meanwhile)
                messages.error(request, str(error))
                return redirect("event-detail", pk=event.pk)
            forms.show_frozen(error.fields)  # requirements a bid froze: nothing was saved
        except ValidationError as error:
            forms.show(error)
        else:
            messages.success(request, _("Event saved."))
            return redirect("event-detail", pk=event.pk)
    return _form_page(request, forms, event)


@login_required
@require_POST
def event_open_view(request, pk: int):
    """draft -> open; a refusal (not a draft, deadline past, nobody invited) is a message."""
    require_writer(request, EVENT_WRITERS)
    event = get_object_or_404(events_visible_to(request.user), pk=pk)
    if request.POST.get("confirm") != "1":
        messages.warning(request, _("Confirm opening the event: it e-mails every invited vendor."))
        return redirect("event-detail", pk=event.pk)
    try:
        event_open(event=event, by=request.user)
    except Conflict as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The event is open: invited vendors can bid now."))
    return redirect("event-detail", pk=event.pk)
