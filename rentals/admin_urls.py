from django.urls import path

from rentals import admin_views

urlpatterns = [
    path("", admin_views.board, name="board"),
    path("reservierungen/", admin_views.reservation_list, name="reservations"),
    path("reservierungen/<id:pk>/pin/", admin_views.reservation_print, name="print"),
    path("reservierungen/<id:pk>/pin/blatt/", admin_views.reservation_pin_sheet, name="pin_sheet"),
    path("reservierungen/<id:pk>/stornieren/", admin_views.reservation_cancel_for_caller, name="cancel"),
    path("reservierungen/<id:pk>/pin-senden/", admin_views.pin_resend, name="pin_resend"),
    path("buchen/", admin_views.caller_book, name="book"),
    path("gegenstaende/", admin_views.items, name="items"),
    path("gegenstaende/zustand/", admin_views.item_condition, name="condition"),
    path("gegenstaende/oeffnen/", admin_views.remote_open, name="open"),
    path("nutzung/", admin_views.usage, name="usage"),
]
