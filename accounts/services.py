"""Writes on users: creating them and giving them a role."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.roles import Role


def _check_vendor_link(role: Role, vendor) -> None:
    if role == Role.VENDOR and vendor is None:
        raise ValidationError({"vendor": ["A vendor user must be linked to a vendor."]})
    if role != Role.VENDOR and vendor is not None:
        raise ValidationError({"vendor": ["Only vendor users are linked to a vendor."]})


@transaction.atomic
def user_set_role(*, user: User, role: Role, vendor=None) -> User:
    """Give the user exactly one role (its group) and the vendor link that role needs."""
    _check_vendor_link(role, vendor)
    user.vendor = vendor
    user.save(update_fields=["vendor"])
    user.groups.set([Group.objects.get_or_create(name=role.value)[0]])
    user._role_cache = role
    return user


@transaction.atomic
def user_create(*, username: str, password: str, role: Role, vendor=None, email: str = "") -> User:
    """Create a user with a role; the password is hashed, never stored in clear."""
    _check_vendor_link(role, vendor)
    user = User.objects.create_user(username=username, password=password, email=email)
    return user_set_role(user=user, role=role, vendor=vendor)
