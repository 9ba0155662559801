"""Contact channels of DOMAIN.md: which exist and which are served in real time."""

from enum import StrEnum


class Channel(StrEnum):
    """A support channel; phone and chat are real-time, the rest are deferred."""

    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"
    SOCIAL = "social"
    BACKOFFICE = "backoffice"

    @property
    def realtime(self) -> bool:
        return self in REALTIME_CHANNELS


REALTIME_CHANNELS = frozenset({Channel.PHONE, Channel.CHAT})
CHANNEL_CHOICES = [(c.value, c.value.capitalize()) for c in Channel]
