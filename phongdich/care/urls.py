from django.urls import path

from phongdich.care import views

app_name = "care"
urlpatterns = [
    path("", views.facility_list_view, name="facilities"),
    path("co-so/them/", views.facility_create_view, name="facility_create"),
    path("co-so/<int:pk>/sua/", views.facility_edit_view, name="facility_edit"),
    path("kho-thuoc/", views.stock_view, name="stock"),
    path("f0/<int:case_id>/cap-thuoc/", views.dispense_view, name="dispense"),
    path("f0/<int:case_id>/chuyen/", views.transfer_view, name="transfer"),
]
