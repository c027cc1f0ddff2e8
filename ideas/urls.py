from django.urls import path

from ideas import views

app_name = "ideas"
urlpatterns = [
    path("einreichen/", views.idea_submit_view, name="submit"),
    path("aehnliche/", views.ideas_similar_view, name="similar"),
    path("<id:pk>/", views.idea_detail_view, name="detail"),
    path("<id:pk>/unterstuetzen/", views.idea_support_view, name="support"),
    path("<id:pk>/folgen/", views.idea_follow_view, name="follow"),
    path("runden/<id:pk>/matrix/", views.round_matrix_public_view, name="round_matrix"),
]
