from django.urls import path

from trygg.public import views

app_name = "public"

urlpatterns = [
    path("help/", views.help_start, name="help_start"),
    path("help/<slug:language>/", views.help_page, name="help"),
    path("help/<slug:language>/card/", views.help_card, name="help_card"),
    path("help/<slug:language>/contact/", views.self_referral, name="self_referral"),
    path("help/<slug:language>/contact/sent/", views.self_referral_sent, name="self_referral_sent"),
    path("toolkit/", views.toolkit_start, name="toolkit_start"),
    path("toolkit/<slug:language>/", views.toolkit_step, name="toolkit"),
    path("toolkit/<slug:language>/<slug:step>/", views.toolkit_step, name="toolkit_step"),
]
