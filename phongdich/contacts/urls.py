from django.urls import path

from phongdich.contacts import cluster_views, views

app_name = "contacts"
urlpatterns: list = [
    path("", views.contact_list_view, name="list"),
    path("f0/<int:case_id>/", views.case_contacts_view, name="case"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/f2/", views.contact_add_f2_view, name="add_f2"),
    path("<int:pk>/kiem-tra/", views.check_create, name="check"),
    path("<int:pk>/xet-nghiem/", views.test_create, name="test"),
    path("<int:pk>/ket-thuc/", views.release_view, name="release"),
    path("<int:pk>/chuyen-f0/", views.convert_view, name="convert"),
    path("<int:pk>/phan-cong/", views.assign_view, name="assign"),
    path("<int:pk>/o-dich/", views.cluster_add_view, name="cluster_add"),
    path("o-dich/", cluster_views.cluster_list_view, name="clusters"),
    path("o-dich/<int:pk>/", cluster_views.cluster_detail, name="cluster"),
    path("chuoi/", cluster_views.tree_view, name="tree"),
]
