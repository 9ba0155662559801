"""A contract's invoices page: each month's invoice beside the expected one, line by line, with
a form to record a month's invoice and an upload of its lines (kpis.invoices.service)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from contracts.models import Contract
from contracts.selectors import contract_list
from core.roles import role_of
from kpis.api.invoices import READ_ROLES, RECORD_ROLES
from kpis.evaluation.selectors import ROI_ROLES
from kpis.evaluation.service import parse_period
from kpis.invoices.file import InvoiceFileError, read_invoice_lines
from kpis.invoices.reconcile import Line, LineKind
from kpis.invoices.selectors import invoice_list
from kpis.invoices.service import invoice_record
from kpis.models import Evaluation, Invoice
from kpis.web.invoice_forms import InvoiceForm, InvoiceLineFormSet, InvoiceUploadForm

PAGE_SIZE = 12


def _contract(request, pk: int) -> Contract:
    if role_of(request.user) not in READ_ROLES:
        raise Http404
    return get_object_or_404(contract_list(user=request.user), pk=pk)


def _priced_months(contract: Contract) -> list:
    """The months an invoice can be compared with: evaluated and priced, newest first."""
    return list(
        Evaluation.objects.filter(contract=contract, is_current=True, charges__isnull=False)
        .order_by("-period")
        .values_list("period", flat=True)
    )


@login_required
def contract_invoices(request, pk: int):
    """GET: the invoices and the forms; POST (`action` record or upload): record a month's."""
    contract = _contract(request, pk)
    can_record = role_of(request.user) in RECORD_ROLES
    months = _priced_months(contract)
    form = InvoiceForm(months=months)
    lines = InvoiceLineFormSet(prefix="lines")
    upload = InvoiceUploadForm(months=months)
    problems: tuple = ()
    status = 200
    if request.method == "POST":
        if not can_record:
            raise Http404
        if request.POST.get("action") == "upload":
            upload = InvoiceUploadForm(request.POST, request.FILES, months=months)
            done, problems = _upload(request, contract, upload)
        else:
            form = InvoiceForm(request.POST, months=months)
            lines = InvoiceLineFormSet(request.POST, prefix="lines")
            done = _record(request, contract, form, lines)
        if done:
            return redirect("contract-invoices", pk=contract.pk)
        status = 400
    page = Paginator(invoice_list(contract=contract), PAGE_SIZE).get_page(request.GET.get("page"))
    for invoice in page.object_list:
        invoice.summary = invoice_summary(invoice)
    context = {
        "contract": contract, "page": page, "invoices": page.object_list,
        "can_record": can_record, "months": months, "form": form, "lines": lines,
        "upload": upload, "problems": problems, "here": "invoices",
        "can_see_roi": role_of(request.user) in ROI_ROLES,
    }  # fmt: skip
    return render(request, "kpis/invoices.html", context, status=status)


def _record(request, contract, form, lines) -> bool:
    if not (form.is_valid() and lines.is_valid()):
        return False
    given = [
        Line(kind=LineKind(row["kind"]), channel=row.get("channel") or "", amount=row["amount"])
        for row in lines.cleaned_data
        if row.get("kind")
    ]
    return _save(request, contract, form, given, Invoice.Source.ENTERED, form.cleaned_data["total"])


def _upload(request, contract, upload) -> tuple[bool, tuple]:
    if not upload.is_valid():
        return False, ()
    file = upload.cleaned_data["file"]
    try:
        given = read_invoice_lines(
            stream=file.file, filename=file.name, max_bytes=settings.KPI_UPLOAD_MAX_BYTES
        )
    except InvoiceFileError as error:
        upload.add_error("file", str(error))
        return False, error.problems
    total = upload.cleaned_data["total"]
    if total is None:
        total = sum((line.amount for line in given), start=0)
    return _save(request, contract, upload, given, Invoice.Source.UPLOADED, total), ()


def _save(request, contract, form, given, source, total) -> bool:
    try:
        invoice_record(
            contract=contract, period=_month(form.cleaned_data["period"]), total=total,
            lines=given, source=source, user=request.user,
        )  # fmt: skip
    except ValidationError as error:
        for messages in error.message_dict.values():
            for message in messages:
                form.add_error("period", message)
        return False
    return True


def _month(text: str):
    return parse_period(text)


def invoice_summary(invoice: Invoice) -> str:
    """The invoice's status in words, naming the lines that differ."""
    differing = [line for line in invoice.lines.all() if line.difference]
    names = ", ".join(
        f"{line.get_kind_display()}{f' ({line.channel})' if line.channel else ''}"
        for line in differing
    )
    if invoice.status == Invoice.Status.MATCHED:
        return _("Matched within the tolerance.")
    if not names:
        return _("The total differs; the invoice gives no lines.")
    return _("Lines that differ: %(lines)s.") % {"lines": names}
