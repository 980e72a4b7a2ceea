"""The JSON API: one NinjaAPI, each app adds its router; OpenAPI at /api/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="phongdich API", version="1", urls_namespace="api")
