"""Users managed by an admin: the users API and the user pages (/account/users/) call these, so
a rule (a vendor user needs a vendor, a changed role or access ends the user's API tokens, a
password meets the validators) is written once."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services.tokens import user_tokens_revoke
from core.roles import Role, role_of, user_create, user_set_role

# A temporary password: 16 characters a person can read out and type (no 0/O, 1/l/I).
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def language_check(language: str) -> str:
    """`language` if the product speaks it ("" = not chosen), else a field-keyed error."""
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": [_("The product does not speak this language.")]})
    return language


def vendor_check(role: Role, vendor: Any, *, field: str = "vendor") -> None:
    """A vendor user needs a vendor; nobody else has one (the users API's words)."""
    if role == Role.VENDOR and vendor is None:
        raise ValidationError({field: [_("A vendor user needs a vendor.")]})
    if role != Role.VENDOR and vendor is not None:
        raise ValidationError({field: [_("Only vendor users have a vendor.")]})


def temporary_password() -> str:
    """A random password to hand over once; the user changes it on their account page."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(16))


@transaction.atomic
def user_add(
    *,
    username: str,
    role: Role,
    password: str,
    vendor: Any = None,
    email: str = "",
    language: str = "",
) -> Any:
    """A new user with its role (and vendor), a checked password and a language."""
    vendor_check(role, vendor)
    language_check(language)
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("A user with that username already exists.")]})
    password_validation.validate_password(password)
    user = user_create(username=username, password=password, role=role, vendor=vendor, email=email)
    if language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_change(user: Any, *, password: str | None = None, **values: Any) -> Any:
    """Change a user's role, vendor, active state, e-mail or language (only what is given); a
    changed password, role, vendor or access revokes every API token of theirs."""
    role = Role(values.pop("role", None) or role_of(user))
    vendor = values.pop("vendor", user.vendor)
    vendor_check(role, vendor)
    before = (role_of(user), user.vendor_id, user.is_active)
    if "language" in values:
        language_check(values["language"])
    for field, value in values.items():
        setattr(user, field, value)
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    user.save()
    user = user_set_role(user=user, role=role, vendor=vendor)
    if password or before != (role_of(user), user.vendor_id, user.is_active):
        user_tokens_revoke(user=user)
    return user


def user_deactivate(*, user: Any, by: Any) -> Any:
    """Close a user's access (kept for the history, never deleted); not one's own."""
    if user.pk == by.pk:
        raise ValidationError({"is_active": [_("You cannot deactivate yourself.")]})
    return user_change(user, is_active=False)


def user_password_reset(*, user: Any) -> str:
    """Give the user a new temporary password and return it (shown once to the admin, who hands
    it over; no e-mail needed). Their sessions' hash no longer matches, their tokens end."""
    password = temporary_password()
    user_change(user, password=password)
    return password


def user_language_set(*, user: Any, language: str) -> None:
    """Save a user's language ("" = not chosen: the browser decides)."""
    user.language = language_check(language)
    user.save(update_fields=["language"])
