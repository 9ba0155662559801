"""factory_boy factories for the product's models."""

import factory

from accounts.models import User
from core.roles import Role, user_set_role
from vendors.models import Vendor

PASSWORD = "correct-horse-battery-9"


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Vendor {n}")
    country = "NL"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a role (`role="manager"`); vendor users need `vendor=`."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")

    @classmethod
    def _create(cls, model_class, *args, role: str = "manager", vendor=None, **kwargs):
        kwargs.setdefault("password", PASSWORD)
        user = model_class.objects.create_user(*args, **kwargs)
        return user_set_role(user=user, role=Role(role), vendor=vendor)
