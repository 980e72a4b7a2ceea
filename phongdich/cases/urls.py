from django.urls import path

from phongdich.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("f0/", views.case_list_view, name="list"),
    path("f0/dang-ky/", views.case_create, name="create"),
    path("f0/<int:pk>/", views.case_detail, name="detail"),
    path("f0/<int:pk>/sua/", views.case_update_view, name="update"),
    path("f0/<int:pk>/dieu-kien/", views.case_eligibility_view, name="eligibility"),
    path("f0/<int:pk>/xet-nghiem/", views.isolation_test_create, name="isolation_test"),
    path("f0/<int:pk>/hoan-thanh/", views.case_release_view, name="release"),
    path("f0/<int:pk>/tu-vong/", views.case_death_view, name="death"),
    path("f0/<int:pk>/giay-xac-nhan/", views.certificate_view, name="certificate"),
]
