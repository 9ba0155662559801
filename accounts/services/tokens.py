"""API tokens: issued by the token endpoint, revoked by their owner, an admin, or a change of
the user's password, role, vendor or active state; they expire after API_TOKEN_TTL_DAYS.

Only the SHA-256 of a key is stored, so a key is shown once, when it is issued. Each token
also keeps a digest of the credentials it was issued for (`credentials_digest`): a password
changed by any path (the users API, the Django admin, the password page, `set_password` in a
shell), or a role or vendor changed, makes the stored digest differ and the token stops
working; the paths we own also delete the user's tokens at once (`user_tokens_revoke`).
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from core.roles import role_of

# A script that asks for a token on every run must not grow the table without bound.
MAX_TOKENS_PER_USER = 50
# last_used is written at most this often per token (not on every request).
LAST_USED_EVERY = timedelta(minutes=1)


def key_digest(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def credentials_digest(user: Any) -> str:
    """What a token was issued for: the password hash, the role and the vendor link."""
    role = role_of(user)
    material = f"{user.pk}|{user.password}|{role.value if role else ''}|{user.vendor_id or ''}"
    return hashlib.sha256(material.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: Any, now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the user and its key (shown once); the oldest beyond the cap go."""
    now = now or timezone.now()
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        digest=key_digest(key),
        prefix=key[:8],
        credentials=credentials_digest(user),
        created=now,
        expires=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    mine = ApiToken.objects.filter(user=user)
    keep = list(mine.order_by("-created", "-id").values_list("pk", flat=True)[:MAX_TOKENS_PER_USER])
    mine.exclude(pk__in=keep).delete()
    return token, key


def user_tokens_revoke(*, user: Any) -> int:
    """Delete every token of the user (its password, role or active state changed); how many."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def token_revoke(*, token: ApiToken) -> None:
    """Delete one token (its owner or an admin revoked it)."""
    token.delete()


def token_touch(*, token: ApiToken, now: datetime) -> None:
    """Record that the token was used (at most once per LAST_USED_EVERY)."""
    if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
