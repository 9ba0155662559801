"""The five roles of DOMAIN.md; a user's role is its group (a superuser with none is admin)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who a user is in the product; each is a Django group of the same name."""

    PROCUREMENT = "procurement", _("Procurement")
    MANAGER = "manager", _("Manager")
    AUDITOR = "auditor", _("Auditor")
    VENDOR = "vendor", _("Vendor")
    ADMIN = "admin", _("Admin")


BUYER_ROLES = frozenset({Role.PROCUREMENT, Role.MANAGER, Role.AUDITOR, Role.ADMIN})


def role_of(user) -> Role | None:
    """The user's role, or None for anonymous users and users without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_role_cache", False)
    if cached is not False:
        return cached
    names = {g.name for g in user.groups.all()}
    role = next((r for r in Role if r.value in names), None)
    if role is None and user.is_superuser:
        role = Role.ADMIN
    user._role_cache = role
    return role


# Giving users their role: the demo, the users API and the admin pages share these.


def _check_vendor_link(role: Role, vendor) -> None:
    if role == Role.VENDOR and vendor is None:
        raise ValidationError({"vendor": ["A vendor user must be linked to a vendor."]})
    if role != Role.VENDOR and vendor is not None:
        raise ValidationError({"vendor": ["Only vendor users are linked to a vendor."]})


@transaction.atomic
def user_set_role(*, user, role: Role, vendor=None) -> Any:
    """Give the user exactly one role (its group) and the vendor link that role needs."""
    _check_vendor_link(role, vendor)
    user.vendor = vendor
    user.save(update_fields=["vendor"])
    user.groups.set([Group.objects.get_or_create(name=role.value)[0]])
    user._role_cache = role
    return user


@transaction.atomic
def user_create(*, username: str, password: str, role: Role, vendor=None, email: str = "") -> Any:
    """Create a user with a role; the password is hashed, never stored in clear."""
    _check_vendor_link(role, vendor)
    user = get_user_model().objects.create_user(username=username, password=password, email=email)
    return user_set_role(user=user, role=role, vendor=vendor)
