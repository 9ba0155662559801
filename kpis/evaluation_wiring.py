"""Registers the evaluation with the rest of the product: ingestion hook, tasks, home, nav.

Imported once from kpis.models_evaluation, because every process (web, worker, beat,
commands) imports the models; this is what KpisConfig.ready() would otherwise do.
"""

from django.utils.translation import gettext_lazy as _

from accounts.home import home_panel_register
from accounts.navigation import nav_register
from accounts.roles import Role
from kpis import evaluation_tasks  # registers the Celery tasks  # noqa: F401
from kpis.ingest import AFFECTED_MONTHS_HOOKS


def _new_breaches(request) -> dict:
    from kpis.evaluation_panels import new_breaches_panel

    return new_breaches_panel(request)


def _chronic_flags(request) -> dict:
    from kpis.evaluation_panels import chronic_flags_panel

    return chronic_flags_panel(request)


if evaluation_tasks.evaluations_queue not in AFFECTED_MONTHS_HOOKS:
    AFFECTED_MONTHS_HOOKS.append(evaluation_tasks.evaluations_queue)

nav_register(
    label=_("Breaches"),
    url_name="breach-list",
    roles={Role.MANAGER, Role.AUDITOR, Role.ADMIN, Role.PROCUREMENT, Role.VENDOR},
    order=55,
)
home_panel_register(
    key="evaluation-new-breaches", template="kpis/evaluation/panels/new_breaches.html",
    context=_new_breaches, roles={Role.MANAGER}, order=20,
)  # fmt: skip
home_panel_register(
    key="evaluation-chronic-flags", template="kpis/evaluation/panels/chronic_flags.html",
    context=_chronic_flags, roles={Role.MANAGER}, order=25,
)  # fmt: skip
