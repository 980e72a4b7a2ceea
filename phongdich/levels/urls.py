from django.urls import path

from phongdich.levels import views

app_name = "levels"
urlpatterns = [
    path("", views.table, name="table"),
    path("tinh-lai/", views.recompute, name="recompute"),
    path("dia-ban/<int:area_id>/", views.history, name="history"),
    path("thay-doi/", views.changes, name="changes"),
    path("tinh-thu/", views.whatif, name="whatif"),
    path("quy-dinh/", views.rules, name="rules"),
    path("quy-dinh/<str:code>/sua/", views.rule_edit, name="rule_edit"),
]
