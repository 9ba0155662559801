"""The award page: pick the proposal, give the contract its reference and start date."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.services.award import contract_award
from contracts.web.forms import AwardForm, apply_errors
from core.errors import Conflict
from core.roles import Role, role_of
from vendors.models import EventStatus, SourcingEvent
from vendors.ranking import event_ranking
from vendors.selectors import event_status

AWARDERS = (Role.PROCUREMENT,)  # DOMAIN.md: procurement awards; nobody else


def _choices(ranking) -> list[tuple[int, str]]:
    return [(r.proposal, f"#{r.rank} {r.vendor_name}") for r in ranking.results if r.qualified]


@login_required
def contract_award_page(request, event_pk: int):
    """After the deadline: the ranked bids and a form that awards one of them."""
    role = role_of(request.user)
    if role == Role.VENDOR or role is None:
        raise Http404
    if role not in AWARDERS:
        raise PermissionDenied
    event = get_object_or_404(SourcingEvent, pk=event_pk)
    status = event_status(event, timezone.now())
    ranking = event_ranking(event=event) if status == EventStatus.CLOSED else None
    choices = _choices(ranking) if ranking else []
    initial = {"start_date": event.start_date, "proposal": choices[0][0] if choices else None}
    form = AwardForm(request.POST or None, initial=initial, choices=choices)
    if request.method == "POST" and ranking and form.is_valid():
        try:
            contract = contract_award(
                event=event,
                proposal_id=form.cleaned_data["proposal"],
                reference=form.cleaned_data["reference"],
                start_date=form.cleaned_data["start_date"],
                user=request.user,
            )
        except Conflict as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Awarded: contract %s created as a draft.") % contract.reference
            )
            return redirect("contract-detail", pk=contract.pk)
    context = {"event": event, "status": status, "ranking": ranking, "form": form}
    return render(request, "contracts/award.html", context)
