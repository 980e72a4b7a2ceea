from django.urls import path

from phongdich.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_search_view, name="search"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/sua/", views.person_edit, name="edit"),
    path("<int:pk>/gop/<int:target_pk>/", views.person_merge_view, name="merge"),
]
