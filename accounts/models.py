"""Users: Django's user, linked to one vendor when its role is vendor."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.roles import Role, role_of


class User(AbstractUser):
    """A person who signs in; `vendor` is set for (and only for) vendor staff."""

    vendor = models.ForeignKey(
        "vendors.Vendor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("vendor"),
    )
    # A code of settings.LANGUAGES (checked by the forms and the API, so adding a language needs
    # no migration); blank: not chosen, the browser's Accept-Language decides (core.i18n).
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="",
        help_text=_("Pages, e-mails and reports are written in it; blank: the browser's."),
    )  # fmt: skip

    @property
    def role(self) -> Role | None:
        return role_of(self)


class ApiToken(models.Model):
    """A key for scripts (`Authorization: Token <key>`); only its SHA-256 is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    digest = models.CharField(
        max_length=64, unique=True, verbose_name=_("digest")
    )  # SHA-256 of the key, hex
    prefix = models.CharField(
        max_length=8, verbose_name=_("prefix")
    )  # the key's first characters, to tell tokens apart
    # A digest of what the token was issued for (password hash, role, vendor): when any of these
    # changes, by whatever path, the token no longer authenticates (accounts.services.tokens).
    credentials = models.CharField(max_length=64, verbose_name=_("credentials"))
    created = models.DateTimeField(verbose_name=_("created"))
    last_used = models.DateTimeField(null=True, blank=True, verbose_name=_("last used"))
    expires = models.DateTimeField(verbose_name=_("expires"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "created"], name="api_token_user")]

    def __str__(self) -> str:
        return f"Token {self.prefix}… of {self.user}"


class Heartbeat(models.Model):
    """When a worker last ran a job of a queue (`worker:<queue>`), or beat last sent one
    (`beat`): the status page and GET /api/v1/status/ show their age."""

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    beat_at = models.DateTimeField(verbose_name=_("last beat"))
    detail = models.CharField(
        max_length=200, blank=True, verbose_name=_("detail")
    )  # host:pid that wrote it

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
