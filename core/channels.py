"""Contact channels of DOMAIN.md: which exist and which are served in real time."""

from enum import StrEnum

from core.texts import gettext_noop


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
CHANNEL_LABELS = {
    Channel.PHONE: gettext_noop("Phone"),
    Channel.CHAT: gettext_noop("Chat"),
    Channel.EMAIL: gettext_noop("Email"),
    Channel.SOCIAL: gettext_noop("Social"),
    Channel.BACKOFFICE: gettext_noop("Backoffice"),
}
CHANNEL_CHOICES = [(c.value, CHANNEL_LABELS[c]) for c in Channel]  # English: core.labels translates
