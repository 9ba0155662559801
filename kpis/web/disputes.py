"""Dispute pages: a breach's exchange (statement, evidence, decision) for everyone who may
read the breach, the vendor's dispute form and the manager's decision form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Conflict
from core.roles import Role, role_of
from kpis.evaluation.disputes import (
    dispute_accept,
    dispute_open,
    dispute_refusal,
    dispute_reject,
    dispute_window,
)
from kpis.evaluation.selectors import DECIDE_ROLES, READ_ROLES, breach_list
from kpis.web.dispute_forms import DisputeDecisionForm, DisputeForm


def _breach(request, pk: int):
    if role_of(request.user) not in READ_ROLES:
        raise Http404
    return get_object_or_404(breach_list(user=request.user), pk=pk)


def dispute_of(breach):
    """The breach's dispute, or None."""
    try:
        return breach.dispute
    except ObjectDoesNotExist:
        return None


def _apply(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
def breach_dispute(request, pk: int):
    """The exchange on a breach; the vendor disputes it here (POST: statement and evidence)."""
    breach = _breach(request, pk)
    role = role_of(request.user)
    form = DisputeForm()
    status = 200
    if request.method == "POST":
        if role != Role.VENDOR:
            raise PermissionDenied
        form = DisputeForm(request.POST, request.FILES)
        if form.is_valid():
            evidence = form.cleaned_data["evidence"]
            try:
                dispute_open(
                    breach=breach, user=request.user, statement=form.cleaned_data["statement"],
                    evidence=evidence, filename=evidence.name,
                )  # fmt: skip
            except Conflict as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Your dispute was sent to the managers."))
                return redirect("breach-dispute", pk=breach.pk)
        status = 400
        breach = _breach(request, pk)
    return render(request, "kpis/evaluation/dispute.html",
                  _context(request, breach, form=form), status=status)  # fmt: skip


def _context(request, breach, *, form=None, decision=None) -> dict:
    role = role_of(request.user)
    dispute = dispute_of(breach)
    refusal = dispute_refusal(breach=breach) if role == Role.VENDOR else None
    return {
        "breach": breach,
        "dispute": dispute,
        "window": dispute_window(breach=breach),
        "now": timezone.now(),
        "can_dispute": role == Role.VENDOR and refusal is None,
        "refusal": refusal if role == Role.VENDOR and dispute is None else None,
        "can_decide": role in DECIDE_ROLES and dispute is not None and dispute.status == "open",
        "form": form or DisputeForm(),
        "decision": decision or DisputeDecisionForm(),
    }


@login_required
@require_POST
def breach_dispute_decide(request, pk: int):
    """A manager accepts (the credit is waived) or rejects (with a reason) the dispute."""
    if role_of(request.user) not in DECIDE_ROLES:
        raise PermissionDenied
    breach = _breach(request, pk)
    decision = DisputeDecisionForm(request.POST)
    if decision.is_valid():
        decide = dispute_accept if decision.cleaned_data["action"] == "accept" else dispute_reject
        try:
            decide(breach=breach, user=request.user, reason=decision.cleaned_data["reason"])
        except Conflict as error:
            decision.add_error(None, str(error))
        except ValidationError as error:
            _apply(decision, error)
        else:
            messages.success(request, _("Your decision was recorded and the vendor told."))
            return redirect("breach-dispute", pk=breach.pk)
    breach = _breach(request, pk)
    return render(request, "kpis/evaluation/dispute.html",
                  _context(request, breach, decision=decision), status=400)  # fmt: skip
