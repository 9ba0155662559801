"""Users: Django's user, linked to one vendor when its role is vendor."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from core.roles import Role, role_of


class User(AbstractUser):
    """A person who signs in; `vendor` is set for (and only for) vendor staff."""

    vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    @property
    def role(self) -> Role | None:
        return role_of(self)
