"""The five roles of DOMAIN.md; a user's role is its group (a superuser with none is admin)."""

from django.db import models


class Role(models.TextChoices):
    """Who a user is in the product; each is a Django group of the same name."""

    PROCUREMENT = "procurement", "Procurement"
    MANAGER = "manager", "Manager"
    AUDITOR = "auditor", "Auditor"
    VENDOR = "vendor", "Vendor"
    ADMIN = "admin", "Admin"


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
