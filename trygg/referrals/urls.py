from django.urls import path

from trygg.referrals import views

app_name = "referrals"

urlpatterns = [
    # The referrer
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("<person:code>/", views.status, name="status"),
    path("<person:code>/edit/", views.edit, name="edit"),
    path("<person:code>/answer/", views.answer, name="answer"),
    # The assistance system
    path("triage/", views.queue, name="queue"),
    path("triage/calls/", views.hotline, name="hotline"),
    path("triage/calls/<uuid:call>/refer/", views.refer_call, name="refer_call"),
    path("triage/<person:code>/", views.detail, name="detail"),
    path("triage/<person:code>/take/", views.take, name="take"),
    path("triage/<person:code>/assign/", views.assign, name="assign"),
    path("triage/<person:code>/decide/", views.decide, name="decide"),
    path("triage/<person:code>/withdraw/", views.withdraw, name="withdraw"),
    path("triage/<person:code>/appeal/<uuid:decision>/", views.appeal, name="appeal"),
    path(
        "triage/<person:code>/decisions/<uuid:decision>/letter.pdf",
        views.letter,
        name="letter",
    ),
    path(
        "triage/<person:code>/appeals/<int:pk>/outcome/",
        views.appeal_outcome,
        name="appeal_outcome",
    ),
]
