"""The award page: choose one proposal or compose a split, review exactly what will be created
(contracts, vendors, channels, TCO, targets), then confirm; the rules are the award service's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contracts.services.award import award_choices, award_plan, contracts_award
from contracts.web.award_forms import AwardChoiceForm, AwardStep, parse_split
from contracts.web.forms import apply_errors
from core.channels import CHANNEL_CHOICES
from core.errors import Conflict
from core.roles import Role, role_of
from vendors.models import EventStatus, SourcingEvent
from vendors.selectors import event_status

AWARDERS = (Role.PROCUREMENT,)  # DOMAIN.md: procurement awards; nobody else
LABELS = dict(CHANNEL_CHOICES)


def _initial(event, ranking, channels: list[str], raw_split: str) -> dict:
    first = next((r.proposal for r in ranking.results if r.qualified), None)
    initial = {"start_date": event.start_date, "proposal": first, "mode": "whole"}
    chosen = parse_split(raw_split, channels)
    if chosen:
        initial["mode"] = "split"
        initial.update({f"assign_{c}": p for c, p in chosen.items()})
    return initial


def _carry(request) -> list[tuple[str, str]]:
    """The choices as hidden fields, so the confirmation sends exactly what was reviewed."""
    skip = {"csrfmiddlewaretoken", "step"}
    return [(k, v) for k in request.POST if k not in skip for v in request.POST.getlist(k)]


def _review(form, event):
    """The award's plan, or None with the problems put on the form."""
    try:
        plan = award_plan(event=event, parts=form.parts(), split=form.split)
    except (ValidationError, Http404) as error:
        if isinstance(error, ValidationError):
            apply_errors(form, error)
        else:
            form.add_error("proposal", str(error))
        return None
    if plan.needs_justification and not form.cleaned_data.get("justification", "").strip():
        form.add_error(
            "justification", _("Say why: this award is not the first-ranked proposal alone.")
        )
        return None
    return plan


def _award(request, form, event):
    try:
        contracts = contracts_award(
            event=event, parts=form.parts(), split=form.split,
            start_date=form.cleaned_data["start_date"],
            justification=form.cleaned_data.get("justification", ""), user=request.user,
        )  # fmt: skip
    except Conflict as error:
        form.add_error(None, str(error))
        return None
    except ValidationError as error:
        apply_errors(form, error)
        return None
    references = ", ".join(c.reference for c in contracts)
    messages.success(request, ngettext(
        "Awarded: contract %(refs)s created as a draft.",
        "Awarded: contracts %(refs)s created as drafts.", len(contracts),
    ) % {"refs": references})  # fmt: skip
    if len(contracts) == 1:
        return redirect("contract-detail", pk=contracts[0].pk)
    return redirect(f"{reverse('contract-index')}?status=draft")


def _rows(plan) -> list[dict]:
    """The review's contracts with their channels and targets labelled."""
    return [
        {
            "reference": c.reference,
            "vendor": c.proposal.vendor.name,
            "channel_labels": [str(LABELS.get(ch, ch)) for ch in c.channels],
            "tco": c.tco,
            "targets": [
                {**t, "channel_label": str(LABELS.get(t["channel"], t["channel"]))}
                for t in c.targets
            ],  # fmt: skip
        }
        for c in plan.contracts
    ]


@login_required
def contract_award_page(request, event_pk: int):
    """After the deadline: the ranked bids, the choice (whole or split), a review, the award."""
    role = role_of(request.user)
    if role == Role.VENDOR or role is None:
        raise Http404
    if role not in AWARDERS:
        raise PermissionDenied
    event = get_object_or_404(SourcingEvent, pk=event_pk)
    status = event_status(event, timezone.now())
    context = {"event": event, "status": status, "ranking": None}
    if status != EventStatus.CLOSED:
        return render(request, "contracts/award.html", context)
    ranking, priced = award_choices(event=event)
    channels = [str(c["channel"]) for c in event.channels]
    initial = _initial(event, ranking, channels, request.GET.get("split", ""))
    posted = request.method == "POST"
    form = AwardChoiceForm(request.POST if posted else None, initial=initial,
                           ranking=ranking, priced=priced, channels=channels)  # fmt: skip
    step = request.POST.get("step", AwardStep.REVIEW)
    plan = None
    if posted and step != AwardStep.EDIT and form.is_valid():
        plan = _review(form, event)
        if plan is not None and step == AwardStep.CONFIRM:
            done = _award(request, form, event)
            if done is not None:
                return done
            plan = None
    context.update({
        "ranking": ranking, "form": form, "plan": plan, "carry": _carry(request) if plan else [],
        "review": _rows(plan) if plan else [],
        "first": next((r for r in ranking.results if r.qualified), None),
    })  # fmt: skip
    return render(request, "contracts/award.html", context)
