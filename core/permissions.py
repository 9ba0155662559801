"""API permission classes built on the role table."""

from rest_framework.permissions import BasePermission

from core.roles import Role, role_of


def has_role(*roles: Role) -> type[BasePermission]:
    """A permission class that admits authenticated users of the given roles."""
    allowed = frozenset(roles)

    class HasRole(BasePermission):
        message = "Your role does not allow this."

        def has_permission(self, request, view) -> bool:
            return role_of(request.user) in allowed

    HasRole.__name__ = "HasRole_" + "_".join(sorted(r.value for r in allowed))
    return HasRole


IsAdminRole = has_role(Role.ADMIN)
