from django.urls import path  # noqa: F401

app_name = "locker_bridge"
urlpatterns: list = []
