"""`/healthz`: 200 when the database and the broker answer, 503 naming what is down."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


def _broker_ok() -> bool:
    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.BROKER_HEALTH_TIMEOUT)
            conn.default_channel  # noqa: B018 - opens a channel, proving the broker answers
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


@never_cache
def healthz(request):
    """Report the database and the broker; anonymous, for load balancers and `make run`."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    down = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "ok" if not down else "down",
        "checks": {name: "ok" if ok else "down" for name, ok in checks.items()},
        "down": down,
    }
    return JsonResponse(body, status=503 if down else 200)
