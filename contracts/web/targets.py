"""The SLA targets page of a draft contract: an awarded contract starts with none."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from contracts.models import Contract
from contracts.services.lifecycle import contract_update
from contracts.web.forms import TargetForm
from contracts.web.views import _require_writer, _visible
from core.errors import Conflict

TARGET_FIELDS = ("metric", "channel", "expected", "minimum", "critical", "allocation_percent")
ROW_ERROR = re.compile(r"^sla_targets\[(\d+)\]\.(\w+)$")


class TargetRowForm(TargetForm):
    """A target row whose metric starts blank, so a spare row left alone is not a target."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—"), *self.fields["metric"].choices]


TargetRows = forms.formset_factory(TargetRowForm, extra=2, can_delete=True)


def _filled_rows(formset) -> list[tuple[object, dict]]:
    """(form, row) for every row filled in and not deleted, in the order they are saved."""
    return [
        (form, {name: form.cleaned_data[name] for name in TARGET_FIELDS})
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _show_errors(formset, forms: list, error: ValidationError) -> list[str]:
    """Put a row's problems on its form; return the others (the pool, the contract's terms)."""
    others = []
    for key, found in error.message_dict.items():
        match = ROW_ERROR.match(key)
        if match and int(match[1]) < len(forms) and match[2] in TARGET_FIELDS:
            for message in found:
                forms[int(match[1])].add_error(match[2], message)
        else:
            others += [f"{key}: {message}" for message in found]
    return others


@login_required
def contract_targets(request, pk: int):
    """Replace the SLA targets of a draft contract (an active one changes by amendment)."""
    _require_writer(request)
    contract = get_object_or_404(_visible(request), pk=pk)
    if contract.status != Contract.Status.DRAFT:
        messages.error(request, _("The contract is no longer a draft: amend its targets."))
        return redirect("contract-detail", pk=contract.pk)
    initial = list(contract.targets.values(*TARGET_FIELDS))
    formset = TargetRows(request.POST or None, prefix="target", initial=initial)
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        filled = _filled_rows(formset)
        try:
            contract_update(contract=contract, fields={}, targets=[row for _f, row in filled])
        except Conflict as error:
            problems.append(str(error))
        except ValidationError as error:
            problems = _show_errors(formset, [form for form, _r in filled], error)
        else:
            messages.success(request, _("SLA targets saved."))
            return redirect("contract-detail", pk=contract.pk)
    context = {"contract": contract, "formset": formset, "problems": problems}
    return render(request, "contracts/targets_form.html", context)
