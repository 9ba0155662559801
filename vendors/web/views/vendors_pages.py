"""Vendor pages: the list with the API's filters, a profile, create and edit, "My profile"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.labels import CHANNEL_CHOICES
from core.roles import Role
from vendors.filters import VendorFilter
from vendors.models import Vendor
from vendors.selectors import bid_of, proposals_visible_to, vendors_visible_to
from vendors.services.profiles import vendor_create, vendor_update
from vendors.web.forms.vendor import COMMON_CERTIFICATIONS, VendorForms
from vendors.web.views.access import VENDOR_WRITERS, require_role, require_vendor, require_writer

PAGE_SIZE = 25


def _filter_form(vendors: VendorFilter) -> None:
    """Native pickers for the filter inputs (the filterset itself is the API's)."""
    fields = vendors.form.fields
    fields["valid_on"].widget.input_type = "date"
    fields["certification"].widget.attrs["list"] = "certification-names"
    fields["channel"].empty_label = _("any channel")
    fields["channel"].choices = CHANNEL_CHOICES  # rebuilt with the label above


@login_required
def vendor_index(request):
    """Vendors with the API's filters (a vendor user finds only itself), paginated."""
    role = require_role(request)
    vendors = VendorFilter(request.GET, queryset=vendors_visible_to(request.user))
    _filter_form(vendors)
    rows = vendors.qs if vendors.is_valid() else Vendor.objects.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": vendors,
        "page": page,
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "can_create": role in VENDOR_WRITERS,
        "certification_names": COMMON_CERTIFICATIONS,
        "today": timezone.localdate(),
    }
    return render(request, "vendors/vendor_index.html", context)


def _detail(request, vendor: Vendor, *, own: bool):
    """A vendor's profile and its proposals (who bid on what and when; never a price)."""
    role = require_role(request)
    now = timezone.now()
    proposals = proposals_visible_to(request.user).filter(vendor=vendor).order_by("-submitted_at")
    context = {
        "vendor": vendor,
        "own": own,
        "today": timezone.localdate(),
        "bids": [bid_of(request.user, p, now, with_content=False) for p in proposals[:50]],
        "can_edit": own or role in VENDOR_WRITERS,
    }
    return render(request, "vendors/vendor_detail.html", context)


@login_required
def vendor_detail(request, pk: int):
    """A vendor's profile: another vendor's is a 404 for a vendor user."""
    require_role(request)
    vendor = get_object_or_404(vendors_visible_to(request.user), pk=pk)
    return _detail(request, vendor, own=vendor.pk == request.user.vendor_id)


@login_required
def vendor_profile(request):
    """My profile: the vendor user's own vendor."""
    vendor = require_vendor(request)
    vendor = get_object_or_404(vendors_visible_to(request.user), pk=vendor.pk)
    return _detail(request, vendor, own=True)


def _form_page(request, forms: VendorForms, vendor: Vendor | None):
    context = {"forms": forms, "vendor": vendor, "certification_names": COMMON_CERTIFICATIONS}
    return render(request, "vendors/vendor_form.html", context)


@login_required
def vendor_new(request):
    """Create a vendor (procurement, admin)."""
    require_writer(request, VENDOR_WRITERS)
    forms = VendorForms(request.POST or None)
    if request.method == "POST" and forms.is_valid():
        try:
            vendor = vendor_create(**forms.values())
        except ValidationError as error:
            forms.show(error)
        else:
            messages.success(request, _("Vendor %s created.") % vendor.name)
            return redirect("vendor-detail", pk=vendor.pk)
    return _form_page(request, forms, None)


@login_required
def vendor_edit(request, pk: int):
    """Edit a vendor's profile (procurement, admin; a vendor user only its own)."""
    role = require_role(request)
    vendor = get_object_or_404(vendors_visible_to(request.user), pk=pk)
    if role != Role.VENDOR:
        require_writer(request, VENDOR_WRITERS)
    forms = VendorForms(request.POST or None, vendor=vendor)
    if request.method == "POST" and forms.is_valid():
        try:
            vendor = vendor_update(vendor=vendor, data=forms.values(), reveal=role != Role.VENDOR)
        except ValidationError as error:
            forms.show(error)
        else:
            messages.success(request, _("Profile saved."))
            if role == Role.VENDOR:
                return redirect("vendor-profile")
            return redirect("vendor-detail", pk=vendor.pk)
    return _form_page(request, forms, vendor)
