from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.my_account, name="my_account"),
    path("meine-daten/", views.my_data, name="my_data"),
    path("konto-loeschen/", views.delete_account, name="delete_account"),
]
