"""The demo data set; every step is idempotent so `make run` can load it each time."""

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_set_role
from vendors.models import Vendor

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = (
    ("procurement", Role.PROCUREMENT, None),
    ("manager", Role.MANAGER, None),
    ("auditor", Role.AUDITOR, None),
    ("admin", Role.ADMIN, None),
    ("vendor-northwind", Role.VENDOR, "Northwind Contact BV"),
)


def _vendors() -> dict[str, Vendor]:
    rows = [("Northwind Contact BV", "NL")]
    return {
        name: Vendor.objects.get_or_create(name=name, defaults={"country": country})[0]
        for name, country in rows
    }


def _users(vendors: dict[str, Vendor]) -> list[str]:
    lines = []
    for username, role, vendor_name in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.save()
        user_set_role(user=user, role=role, vendor=vendors.get(vendor_name))
        lines.append(f"  {username:<18} {role.label}")
    return lines


def demo_load() -> list[str]:
    """Create (or leave as they are) the demo objects; returns lines describing the logins."""
    vendors = _vendors()
    return [f"Demo logins (password: {DEMO_PASSWORD}):", *_users(vendors)]
