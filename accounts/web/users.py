"""User management for admins (/account/users/): list, create, edit, deactivate, reset a
password. The same services as the users API (accounts.services.users), the same role rule
(core.roles: admins only; anyone else gets the 403 page)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.services.users import (
    temporary_password,
    user_add,
    user_change,
    user_deactivate,
    user_password_reset,
)
from core.roles import Role, role_of

PAGE_SIZE = 50


def _language_choices():
    return [("", gettext_lazy("Not chosen (the browser's)")), *settings.LANGUAGES]


def _vendor_field():
    vendor_model = get_user_model()._meta.get_field("vendor").related_model
    return forms.ModelChoiceField(
        queryset=vendor_model.objects.order_by("name"),
        required=False,
        label=gettext_lazy("Vendor"),
        help_text=gettext_lazy("Vendor users only: the vendor whose staff they are."),
    )


class UserEditForm(forms.Form):
    """What an admin changes on a user: role, vendor, access, e-mail, language."""

    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Active (may sign in)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"] = _vendor_field()
        self.fields["language"].choices = _language_choices()


class UserCreateForm(UserEditForm):
    """A new user: a username, and a password or none (a temporary one is made and shown)."""

    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    password = forms.CharField(
        label=gettext_lazy("Initial password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Leave empty to get a temporary password, shown once."),
    )
    field_order = ["username", "role", "vendor", "email", "language", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]


def _require_admin(request) -> None:
    if role_of(request.user) != Role.ADMIN:
        raise PermissionDenied


def _apply(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error("password" if "password" in form.fields else None, error.messages)


@login_required
def user_list(request):
    """Every user with role, vendor, language, access and last sign-in; filter by role."""
    _require_admin(request)
    users = (
        get_user_model()
        .objects.select_related("vendor")
        .prefetch_related("groups")
        .order_by("username")
    )
    chosen = request.GET.get("role", "")
    if chosen in Role.values:
        users = users.filter(groups__name=chosen)
    elif chosen:
        messages.error(
            request, _("There is no role “%(role)s”; showing every user.") % {"role": chosen}
        )
        chosen = ""
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "roles": Role.choices, "chosen": chosen}
    return render(request, "accounts/users/list.html", context)


@never_cache
@login_required
def user_new(request):
    """Create a user with a role; without a password a temporary one is shown this once."""
    _require_admin(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = data["password"] or temporary_password()
        try:
            user = user_add(
                username=data["username"], role=Role(data["role"]), password=password,
                vendor=data["vendor"], email=data["email"], language=data["language"],
            )  # fmt: skip
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            shown = None if data["password"] else password
            return render(
                request, "accounts/users/password.html", {"subject": user, "password": shown}
            )
    return render(request, "accounts/users/form.html", {"form": form, "subject": None})


@login_required
def user_edit(request, pk: int):
    """Change a user's role, vendor, access, e-mail or language."""
    _require_admin(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    role = role_of(user)
    initial = {
        "role": role.value if role else "", "vendor": user.vendor, "email": user.email,
        "language": user.language, "is_active": user.is_active,
    }  # fmt: skip
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if user.pk == request.user.pk and (not data["is_active"] or data["role"] != Role.ADMIN):
                raise ValidationError(
                    {"role": [_("You cannot take away your own access or admin role.")]}
                )
            user_change(user, **data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("User %(name)s saved.") % {"name": user.username})
            return redirect("account-users")
    return render(request, "accounts/users/form.html", {"form": form, "subject": user})


@login_required
def user_deactivate_view(request, pk: int):
    """Ask first (GET), then close the user's access (POST); the user and its history stay."""
    _require_admin(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    error = None
    if request.method == "POST":
        try:
            user_deactivate(user=user, by=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request, _("User %(name)s deactivated; their API tokens were revoked.")
                % {"name": user.username},
            )  # fmt: skip
            return redirect("account-users")
    context = {"subject": user, "error": error}
    return render(request, "accounts/users/deactivate.html", context, status=400 if error else 200)


@never_cache
@login_required
@require_POST
def user_password(request, pk: int):
    """Give the user a new temporary password, shown to the admin this once."""
    _require_admin(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    password = user_password_reset(user=user)
    messages.success(
        request, _("New password set for %(name)s; their API tokens were revoked.")
        % {"name": user.username},
    )  # fmt: skip
    return render(request, "accounts/users/password.html", {"subject": user, "password": password})
