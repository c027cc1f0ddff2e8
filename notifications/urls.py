from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("geraet/", views.device_register, name="device_register"),
    path("geraet/abmelden/", views.device_unregister, name="device_unregister"),
    path("demo-empfang/<str:endpoint_id>/", views.demo_push_receiver, name="demo_push_receiver"),
]
