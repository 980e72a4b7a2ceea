from django.urls import path

from phongdich.monitoring import followup_views, views

app_name = "monitoring"
urlpatterns: list = [
    path("k/<str:token>/", views.link_page, name="link"),
    path("khai-ho/", views.declare_bulk, name="declare_bulk"),
    path("f0/<int:case_id>/khai-bao/", views.declare, name="declare"),
    path("f0/<int:case_id>/lien-ket/", views.link_manage, name="link_manage"),
    path("canh-bao/", views.alerts, name="alerts"),
    path("canh-bao/<int:alert_id>/xu-ly/", views.alert_handle_view, name="alert_handle"),
]

# The follow-up queue ("nobody forgotten"), each member's list, the ward's day: monitoring/followup_views.py.
urlpatterns += [
    path("can-theo-doi/", followup_views.followup_view, name="followup"),
    path("can-theo-doi/<int:pk>/phan-cong/", followup_views.assign_view, name="assign"),
    path("viec-cua-toi/", followup_views.my_list_view, name="my_list"),
    path("hom-nay/", followup_views.daily_view, name="daily"),
]
