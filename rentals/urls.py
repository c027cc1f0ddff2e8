from django.urls import path

from rentals import views

app_name = "rentals"
urlpatterns = [
    path("", views.index, name="index"),
    path("reservierung/<id:pk>/", views.reservation_detail, name="reservation_detail"),
    path("reservierung/<id:pk>/oeffnen/", views.reservation_open, name="reservation_open"),
    path("reservierung/<id:pk>/status/", views.reservation_status, name="reservation_status"),
    path("reservierung/<id:pk>/stornieren/", views.reservation_cancel_view, name="reservation_cancel"),
    path("reservierung/<id:pk>/problem/", views.reservation_problem, name="reservation_problem"),
    path("reservierung/<id:pk>/kalender.ics", views.reservation_ical, name="reservation_ical"),
    path("ticket/<str:token>/", views.ticket, name="ticket"),
    path("ticket/<str:token>/status/", views.ticket_status, name="ticket_status"),
    path("<slug:slug>/", views.item_type_detail, name="item_type"),
    path("<slug:slug>/reservieren/", views.reserve, name="reserve"),
]
