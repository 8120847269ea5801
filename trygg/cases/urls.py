from django.urls import path

from trygg.cases import views

app_name = "cases"

# Case codes are client codes; the `person` converter is registered by trygg.clients.urls.
urlpatterns = [
    path("", views.index, name="index"),
    path("<person:code>/", views.detail, name="detail"),
    path("<person:code>/end/", views.end, name="end"),
    path("<person:code>/remove/", views.remove, name="remove"),
    path("<person:code>/removals/<uuid:removal>/appeal/", views.appeal, name="appeal"),
    path(
        "<person:code>/removals/<uuid:removal>/outcome/",
        views.appeal_outcome,
        name="appeal_outcome",
    ),
    path("<person:code>/removals/<uuid:removal>/letter.pdf", views.letter, name="letter"),
]
