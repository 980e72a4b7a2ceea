from django.urls import path

from phongdich.hotline import manage_views, public_views, views

app_name = "hotline"
urlpatterns: list = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/xu-ly/", views.act, name="act"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/nguoi-goi/", views.caller, name="caller"),
    path("tiep-nhan/phuong-xa/", views.route, name="route"),
    path("nhap-tin-nhan/", manage_views.import_messages, name="import"),
    path("loai-yeu-cau/", manage_views.categories, name="categories"),
    # No account needed.
    path("gui/", public_views.public_form, name="public_form"),
    path("tra-cuu/", public_views.status_check, name="status"),
]
