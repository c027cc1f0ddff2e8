from django.urls import path

from academy import views

app_name = "academy"
urlpatterns = [
    path("kalender.ics", views.feed_calendar, name="feed_calendar"),
    path("kurse/<id:course_id>/anmelden/", views.register, name="register"),
    path("kurse/<id:course_id>/kalender.ics", views.course_calendar_download, name="course_calendar"),
    path("termine/<id:session_id>/kalender.ics", views.session_calendar_download, name="session_calendar"),
    path("anmeldungen/<id:registration_id>/absagen/", views.my_registration_cancel, name="my_cancel"),
    path("anmeldungen/<id:registration_id>/bestaetigen/", views.my_registration_confirm, name="my_confirm"),
    path("anmeldungen/<id:registration_id>/bescheinigung.pdf", views.certificate_download, name="certificate"),
    path("link/<str:action>/<str:token>/", views.registration_link, name="registration_link"),
]
