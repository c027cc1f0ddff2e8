from django.urls import path

from academy import admin_views as views

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("anrufliste/", views.calls, name="calls"),
    path("kurse/<id:course_id>/termin-neu/", views.session_create, name="session_create"),
    path("kurse/<id:course_id>/telefon-anmeldung/", views.phone_registration, name="phone_registration"),
    path("termine/<id:session_id>/", views.session_detail, name="session_detail"),
    path("termine/<id:session_id>/bearbeiten/", views.session_edit, name="session_edit"),
    path("termine/<id:session_id>/anwesenheit/", views.session_checkin, name="session_checkin"),
    path("termine/<id:session_id>/absagen/", views.session_cancel, name="session_cancel"),
    path("termine/<id:session_id>/nachricht/", views.session_message, name="session_message"),
    path("anmeldungen/<id:registration_id>/absagen/", views.registration_cancel, name="registration_cancel"),
    path("anmeldungen/<id:registration_id>/bestaetigen/", views.registration_confirm, name="registration_confirm"),
]
