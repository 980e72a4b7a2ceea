"""The rules API."""

from ninja import Router

router = Router(tags=["rules"])
