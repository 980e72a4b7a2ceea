"""Background task: escalate emergency alerts left unhandled (run periodically by the worker's scheduler)."""

from django_tasks import task

from phongdich.monitoring.services import alerts_escalate


@task()
def alerts_escalate_task() -> int:
    return alerts_escalate()
