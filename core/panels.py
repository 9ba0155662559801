"""Panels on a role's home page; each app registers its own from AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.roles import Role


@dataclass(frozen=True)
class HomePanel:
    """A block on the home page of some roles: a template and the function that fills it."""

    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    roles: frozenset[Role]
    order: int = 100


_PANELS: dict[str, HomePanel] = {}


def home_panel_register(*, key: str, template: str, context, roles, order: int = 100) -> None:
    """Add a panel (registering a key again replaces it)."""
    _PANELS[key] = HomePanel(key, template, context, frozenset(roles), order)


def home_panels(request, role: Role | None) -> list[dict[str, Any]]:
    """The role's panels, each with its template and filled context."""
    if role is None:
        return []
    panels = sorted((p for p in _PANELS.values() if role in p.roles), key=lambda p: p.order)
    return [{"template": p.template, "context": p.context(request)} for p in panels]
