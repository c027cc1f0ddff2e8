from django.urls import path

from rentals import views

app_name = "rentals"
urlpatterns = [
    path("", views.index, name="index"),
    path("reservierung/<int:pk>/", views.reservation_detail, name="reservation_detail"),
    path("reservierung/<int:pk>/oeffnen/", views.reservation_open, name="reservation_open"),
    path("reservierung/<int:pk>/status/", views.reservation_status, name="reservation_status"),
    path("reservierung/<int:pk>/stornieren/", views.reservation_cancel_view, name="reservation_cancel"),
    path("reservierung/<int:pk>/problem/", views.reservation_problem, name="reservation_problem"),
    path("reservierung/<int:pk>/kalender.ics", views.reservation_ical, name="reservation_ical"),
    path("ticket/<str:token>/", views.ticket, name="ticket"),
    path("ticket/<str:token>/status/", views.ticket_status, name="ticket_status"),
    path("<slug:slug>/", views.item_type_detail, name="item_type"),
    path("<slug:slug>/reservieren/", views.reserve, name="reserve"),
]
