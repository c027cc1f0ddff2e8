from django.urls import path

from ideas import views

app_name = "ideas"
urlpatterns = [
    path("einreichen/", views.idea_submit_view, name="submit"),
    path("aehnliche/", views.ideas_similar_view, name="similar"),
    path("<int:pk>/", views.idea_detail_view, name="detail"),
    path("<int:pk>/unterstuetzen/", views.idea_support_view, name="support"),
    path("<int:pk>/folgen/", views.idea_follow_view, name="follow"),
    path("runden/<int:pk>/matrix/", views.round_matrix_public_view, name="round_matrix"),
]
