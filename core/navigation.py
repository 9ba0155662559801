"""The role-dependent navigation; each app registers its own entries from AppConfig.ready()."""

from dataclasses import dataclass

from django.urls import reverse

from core.roles import Role


@dataclass(frozen=True)
class NavItem:
    """A link in the top navigation, shown to the listed roles."""

    label: str
    url_name: str
    roles: frozenset[Role]
    order: int = 100


_ITEMS: list[NavItem] = []


def nav_register(*, label: str, url_name: str, roles, order: int = 100) -> None:
    """Add a navigation entry (idempotent: registering the same url name twice keeps one)."""
    if any(item.url_name == url_name for item in _ITEMS):
        return
    _ITEMS.append(NavItem(label, url_name, frozenset(roles), order))
    _ITEMS.sort(key=lambda item: item.order)


def nav_for(role: Role | None) -> list[dict[str, str]]:
    """The entries a role sees, with resolved URLs."""
    if role is None:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in _ITEMS
        if role in item.roles
    ]
