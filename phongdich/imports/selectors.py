"""Reads of import jobs, scoped to the user's area."""

from django.db.models import QuerySet
from django.http import Http404

from phongdich.accounts.models import User
from phongdich.areas.scoping import areas_within
from phongdich.imports.models import ImportJob


def import_jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    if user.area is None:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(area__in=areas_within(user.area)).select_related("area", "created_by")


def import_job_for_user(user: User, job_id: int) -> ImportJob:
    job = import_jobs_visible_to(user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job
