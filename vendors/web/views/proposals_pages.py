"""The vendor portal (an invited event, submit, edit, withdraw) and proposal pages, ratings.

A vendor reaches only its own proposals and the events it is invited to (404 otherwise);
buyer-side users see who bid and when, and the figures only once the deadline has passed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Conflict
from core.roles import Role
from vendors.filters import ProposalFilter
from vendors.models import EventStage, ProposalStatus, SourcingEvent
from vendors.ranking import proposal_language_reasons
from vendors.selectors import (
    bid_of,
    bids_frozen,
    bids_of_event,
    event_status,
    events_visible_to,
    proposals_visible_to,
    rating_median,
    ratings_of,
)
from vendors.services.proposals import (
    proposal_submit,
    proposal_update,
    proposal_values,
    proposal_withdraw,
    rating_set,
)
from vendors.web.forms.proposal import ProposalForms, RatingForm
from vendors.web.views.access import require_role, require_vendor

PAGE_SIZE = 25


def biddable(event: SourcingEvent, now) -> bool:
    """Whether bids on the event can still be submitted or changed (the domain decides too)."""
    return event.stage == EventStage.OPEN and not bids_frozen(event, now)


@login_required
def portal_event(request, pk: int):
    """An invited event as its vendor sees it: requirements, its own proposal and actions."""
    if require_role(request) != Role.VENDOR:
        return redirect("event-detail", pk=pk)
    require_vendor(request)
    event = get_object_or_404(events_visible_to(request.user), pk=pk)
    now = timezone.now()
    bids = bids_of_event(request.user, event, now, ratings=False)
    live = next((b for b in bids if b.live), None)
    context = {
        "event": event,
        "status": event_status(event, now),
        "biddable": biddable(event, now),
        "live": live,
        "withdrawn": [b for b in bids if not b.live],
    }
    return render(request, "vendors/portal_event.html", context)


def _event_bands(event: SourcingEvent) -> list[tuple[str, list[str]]]:
    """Each channel's stated band names, for scoping hybrid parts (none stated: none shown)."""
    return [
        (need["channel"], [band["name"] for band in need["profile"]["bands"]])
        for need in event.channels
        if (need.get("profile") or {}).get("bands")
    ]


def _form_page(request, forms: ProposalForms, event: SourcingEvent, bid=None):
    context = {"forms": forms, "event": event, "bid": bid, "event_bands": _event_bands(event)}
    return render(request, "vendors/proposal_form.html", context)


def _frozen(request, event: SourcingEvent, text: str):
    messages.error(request, text)
    return redirect("portal-event", pk=event.pk)


@login_required
def proposal_new(request, event_pk: int):
    """Submit the vendor's proposal to an open event it is invited to, before the deadline."""
    vendor = require_vendor(request)
    event = get_object_or_404(events_visible_to(request.user), pk=event_pk)
    live = event.proposals.filter(vendor=vendor, status=ProposalStatus.SUBMITTED).first()
    if live is not None:
        return redirect("proposal-edit", pk=live.pk)
    if not biddable(event, timezone.now()):
        return _frozen(request, event, _("This event takes no bids: it is not open."))
    forms = ProposalForms(request.POST or None, event=event)
    if request.method == "POST" and forms.is_valid():
        try:
            proposal = proposal_submit(
                event=event, vendor=vendor, submitted_by=request.user, **forms.values()
            )
        except Conflict as error:
            return _frozen(request, event, str(error))
        except ValidationError as error:
            forms.show(error)
        else:
            messages.success(
                request, _("Proposal submitted. You can change it until the deadline.")
            )
            return redirect("portal-event", pk=proposal.event_id)
    return _form_page(request, forms, event)


def _own_proposal(request, pk: int):
    """The vendor user's own proposal; another vendor's is a 404 like a missing one."""
    require_vendor(request)
    return get_object_or_404(proposals_visible_to(request.user), pk=pk)


@login_required
def proposal_edit(request, pk: int):
    """Change the vendor's live proposal until the deadline."""
    proposal = _own_proposal(request, pk)
    event = proposal.event
    now = timezone.now()
    if proposal.status != ProposalStatus.SUBMITTED or not biddable(event, now):
        return _frozen(request, event, _("This proposal can no longer be changed."))
    forms = ProposalForms(request.POST or None, event=event, current=proposal_values(proposal))
    if request.method == "POST" and forms.is_valid():
        try:
            proposal_update(proposal=proposal, data=forms.values())
        except Conflict as error:
            return _frozen(request, event, str(error))
        except ValidationError as error:
            forms.show(error)
        else:
            messages.success(request, _("Proposal saved."))
            return redirect("portal-event", pk=event.pk)
    return _form_page(request, forms, event, bid_of(request.user, proposal, now))


@login_required
@require_POST
def proposal_withdraw_view(request, pk: int):
    """Withdraw the vendor's live proposal before the deadline."""
    proposal = _own_proposal(request, pk)
    try:
        proposal_withdraw(proposal=proposal)
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Proposal withdrawn. You may submit a new one until the deadline.")
        )
    return redirect("portal-event", pk=proposal.event_id)


@login_required
def proposal_detail(request, pk: int):
    """A proposal: who, when and its state; its figures only where the sealed-bid rule allows."""
    role = require_role(request)
    proposal = get_object_or_404(proposals_visible_to(request.user), pk=pk)
    now = timezone.now()
    bid = bid_of(request.user, proposal, now)
    if role != Role.VENDOR:
        bid.ratings.extend(ratings_of(proposal))
    context = {
        "bid": bid,
        "event": proposal.event,
        "status": event_status(proposal.event, now),
        "vendor_view": role == Role.VENDOR,
        "biddable": biddable(proposal.event, now) and bid.live,
        "median": rating_median(bid),
        # Only where the bid's languages are readable (its vendor, or buyers after the deadline).
        "language_reasons": proposal_language_reasons(proposal) if bid.content else [],
    }
    return render(request, "vendors/proposal_detail.html", context)


@login_required
def proposal_index(request):
    """Proposals (a vendor user: its own) by event, vendor and status; never a figure."""
    role = require_role(request)
    found = ProposalFilter(request.GET, queryset=proposals_visible_to(request.user))
    rows = found.qs if found.is_valid() else proposals_visible_to(request.user).none()
    page = Paginator(rows.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    page.object_list = [bid_of(request.user, p, now, with_content=False) for p in page]
    context = {"page": page, "vendor_view": role == Role.VENDOR}
    return render(request, "vendors/proposal_index.html", context)


@login_required
@require_POST
def proposal_rate(request, pk: int):
    """Give or change the procurement user's 0-5 rating of a proposal after the deadline."""
    role = require_role(request)
    proposal = get_object_or_404(proposals_visible_to(request.user), pk=pk)
    if role != Role.PROCUREMENT:
        raise PermissionDenied
    form = RatingForm(request.POST, prefix=f"r{proposal.pk}")
    back = reverse("event-detail", args=[proposal.event_id]) + f"#rate-{proposal.pk}"
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 0 to 5."))
        return redirect(back)
    try:
        _row, created = rating_set(
            proposal=proposal,
            evaluator=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except Conflict as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("Rating saved for %s.") if created else _("Rating updated for %s.")
        messages.success(request, text % proposal.vendor.name)
    return redirect(back)
