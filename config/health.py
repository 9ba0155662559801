"""Health: `/healthz` (liveness: the process answers), `/readyz` (readiness: the database is
reachable; a broker outage does not take a web node out, uploads and reports survive it), and
the status page and API for people (admin, auditor, manager)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.status import database_ok, system_status
from core.permissions import has_role
from core.roles import Role, role_of

STATUS_ROLES = (Role.ADMIN, Role.AUDITOR, Role.MANAGER)


@never_cache
def healthz(request):
    """Liveness for process supervisors: 200 whenever the process answers; no database."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness for load balancers: 200 when the database answers, else 503."""
    if database_ok():
        return JsonResponse({"status": "ok", "checks": {"database": "ok"}})
    return JsonResponse(
        {"status": "down", "checks": {"database": "down"}, "down": ["database"]}, status=503
    )


_age = serializers.FloatField(allow_null=True)


class StatusView(APIView):
    """GET /api/v1/status/: database, broker, queues and heartbeats (admin, auditor, manager)."""

    permission_classes = [has_role(*STATUS_ROLES)]

    @extend_schema(
        responses=inline_serializer(
            "SystemStatus",
            {
                "database": serializers.CharField(help_text="ok or down"),
                "broker": serializers.CharField(help_text="ok or down"),
                "queues": inline_serializer(
                    "QueueStatus",
                    {
                        "name": serializers.CharField(),
                        "depth": serializers.IntegerField(allow_null=True),
                        "oldest_age_s": _age,
                        "worker_heartbeat_age_s": _age,
                    },
                    many=True,
                ),
                "worker_heartbeat_age_s": _age,
                "beat_heartbeat_age_s": _age,
            },
        )
    )
    def get(self, request):
        return Response(system_status())


@never_cache
@login_required
def status_page(request):
    """The same picture for people, with what each figure means."""
    if role_of(request.user) not in STATUS_ROLES:
        raise PermissionDenied
    from django.conf import settings

    status = system_status()
    stale = settings.WORKER_HEARTBEAT_SECONDS * 3
    return render(request, "accounts/status.html", {"status": status, "stale_after": stale})
