"""Contract pages: list, detail with terms in force, forms; rules live in the domain modules."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts.filters import ContractFilter
from contracts.models import Baseline
from contracts.selectors import contract_list
from contracts.services.amendments import amendment_create
from contracts.services.baseline import baseline_of, baseline_set
from contracts.services.lifecycle import (
    contract_activate,
    contract_create,
    contract_status,
    contract_terminate,
)
from contracts.services.terms import terms_for_month
from contracts.web.forms import (
    AmendmentForm,
    BaselineForm,
    ContractForm,
    FeeFormSet,
    OneOffForm,
    PriceFormSet,
    TargetFormSet,
    TerminateForm,
    apply_errors,
    filled,
)
from core.errors import Conflict
from core.formatting import UnreadableNumber, parse_number
from core.forms import decimal_text
from core.roles import Role, role_of

WRITERS = (Role.MANAGER, Role.ADMIN)


def _visible(request):
    if role_of(request.user) is None:
        raise Http404
    return contract_list(user=request.user)


def _require_writer(request) -> None:
    if role_of(request.user) not in WRITERS:
        raise PermissionDenied


@login_required
def contract_index(request):
    """Contracts with the same filters as the API, paginated."""
    contracts = ContractFilter(request.GET, queryset=_visible(request), request=request)
    page = Paginator(contracts.qs, 25).get_page(request.GET.get("page"))
    for contract in page.object_list:
        contract.shown_status = contract_status(contract)
    can_write = role_of(request.user) in WRITERS
    return render(
        request,
        "contracts/index.html",
        {"filter": contracts, "page": page, "can_write": can_write},
    )


def _month(request, contract=None):
    """The month asked for, else today's month, else (today outside the contract's term) the
    first month of the term: a contract starting later shows its own terms."""
    raw = request.GET.get("month")
    try:
        if raw:
            return datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        pass
    today = timezone.localdate()
    if contract is not None and not contract.start_date <= today <= contract.end_date:
        return contract.start_date.replace(day=1)
    return today


@login_required
def contract_detail(request, pk: int):
    """Terms as signed, terms in force for a month, targets, baseline, amendments, history."""
    contract = get_object_or_404(_visible(request), pk=pk)
    month = _month(request, contract)
    vendor_view = role_of(request.user) == Role.VENDOR
    baseline = None
    if not vendor_view and Baseline.objects.filter(contract=contract).exists():
        baseline = baseline_of(contract.baseline)
    context = {
        "contract": contract,
        "status": contract_status(contract),
        "month": month,
        "terms": terms_for_month(contract, month),
        "baseline": baseline,
        "baseline_kpis": None if vendor_view or baseline is None else contract.baseline.kpis,
        "vendor_view": vendor_view,
        "can_write": role_of(request.user) in WRITERS,
        "amendments": contract.amendments.select_related("created_by"),
        "history": [] if vendor_view else contract.history.select_related("history_user")[:20],
        "terminate_form": TerminateForm(),
    }
    return render(request, "contracts/detail.html", context)


def _contract_forms(data=None):
    return (
        ContractForm(data),
        PriceFormSet(data, prefix="price"),
        FeeFormSet(data, prefix="fee"),
        OneOffForm(data, prefix="oneoff"),
        TargetFormSet(data, prefix="target"),
    )


@login_required
def contract_new(request):
    """A direct contract for an existing vendor relationship."""
    _require_writer(request)
    form, prices, fees, one_off, targets = _contract_forms(request.POST or None)
    valid = request.method == "POST" and all(
        f.is_valid() for f in (form, prices, fees, one_off, targets)
    )
    if valid:
        fields = {
            **form.cleaned_data,
            "pricing": [
                f.as_terms()
                for f in prices.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ],
            "monthly_fees": [{"name": r["name"], "amount": str(r["amount"])} for r in filled(fees)],
            "one_off_fees": {k: str(v) for k, v in one_off.cleaned_data.items()},
        }
        rows = [{k: v for k, v in r.items() if k != "DELETE"} for r in filled(targets)]
        try:
            contract = contract_create(fields=fields, targets=rows, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Contract %s created as a draft.") % contract.reference)
            return redirect("contract-detail", pk=contract.pk)
    context = {"form": form, "prices": prices, "fees": fees, "one_off": one_off, "targets": targets}
    return render(request, "contracts/form.html", context)


@login_required
def contract_baseline(request, pk: int):
    """Enter the in-house baseline as one amount or its fully loaded parts."""
    _require_writer(request)
    contract = get_object_or_404(_visible(request), pk=pk)
    instance = Baseline.objects.filter(contract=contract).first()
    form = BaselineForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        kpis = instance.kpis if instance else {}
        try:
            baseline_set(contract=contract, data={**form.cleaned_data, "kpis": kpis})
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Baseline saved."))
            return redirect("contract-detail", pk=contract.pk)
    return render(request, "contracts/baseline_form.html", {"form": form, "contract": contract})


@login_required
@require_POST
def contract_activate_view(request, pk: int):
    """draft -> active."""
    _require_writer(request)
    contract = get_object_or_404(_visible(request), pk=pk)
    try:
        contract_activate(contract=contract)
        messages.success(request, _("Contract activated."))
    except Conflict as error:
        messages.error(request, str(error))
    return redirect("contract-detail", pk=pk)


@login_required
@require_POST
def contract_terminate_view(request, pk: int):
    """active -> terminated with a date and a reason."""
    _require_writer(request)
    contract = get_object_or_404(_visible(request), pk=pk)
    form = TerminateForm(request.POST)
    if form.is_valid():
        try:
            contract_terminate(
                contract=contract, on=form.cleaned_data["date"], reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Contract terminated."))
        except (Conflict, ValidationError) as error:
            text = str(error) if isinstance(error, Conflict) else "; ".join(error.messages)
            messages.error(request, text)
    else:
        messages.error(request, _("Give a date and a reason to terminate."))
    return redirect("contract-detail", pk=pk)


@login_required
def contract_amend(request, pk: int):
    """An amendment: a new minimum charge, new fees and new target levels from a month."""
    _require_writer(request)
    contract = get_object_or_404(_visible(request), pk=pk)
    form = AmendmentForm(request.POST or None)
    fees = FeeFormSet(request.POST or None, prefix="fee")
    current = terms_for_month(contract, timezone.localdate()).targets
    if request.method == "POST" and form.is_valid() and fees.is_valid():
        try:
            changes = _amendment_changes(request, form, fees, current)
            with transaction.atomic():
                amendment_create(
                    contract=contract,
                    effective_month=form.cleaned_data["effective_month"],
                    changes=changes,
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
        except Conflict as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Amendment recorded."))
            return redirect("contract-detail", pk=contract.pk)
    for target in current:  # the boxes show the levels with the reader's decimal mark
        target.inputs = {
            name: request.POST.get(f"target-{target.pk}-{name}")
            or decimal_text(getattr(target, name))
            for name in ("expected", "minimum", "allocation_percent")
        }
    context = {"form": form, "fees": fees, "contract": contract, "targets": current}
    return render(request, "contracts/amend_form.html", context)


def _amendment_changes(request, form, fees, current) -> dict:
    changes: dict = {}
    if form.cleaned_data.get("minimum_monthly_charge") is not None:
        changes["minimum_monthly_charge"] = str(form.cleaned_data["minimum_monthly_charge"])
    rows = filled(fees)
    if rows:
        changes["monthly_fees"] = [{"name": r["name"], "amount": str(r["amount"])} for r in rows]
    changed = []
    for target in current:
        values = {
            name: request.POST.get(f"target-{target.pk}-{name}", "").strip()
            for name in ("expected", "minimum", "allocation_percent")
        }
        diff = {}
        for name, text in values.items():
            if not text:
                continue
            try:  # typed in the reader's format: `92,5` in Dutch
                number = parse_number(text)
            except UnreadableNumber as error:
                raise ValidationError({name: [str(error)]}) from error
            if number != getattr(target, name):
                diff[name] = str(number)
        if diff:
            changed.append({"id": target.pk, **diff})
    if changed:
        changes["targets"] = {"change": changed}
    return changes
