from django.urls import include, path

urlpatterns = [
    path("", include("trygg.web.urls")),
    path("accounts/", include("trygg.accounts.urls")),
    path("manage/", include("trygg.accounts.manage_urls")),
    path("clients/", include("trygg.clients.urls")),
    path("cases/", include("trygg.cases.urls")),
    path("referrals/", include("trygg.referrals.urls")),
    path("api/v1/", include("trygg.api.urls")),
    path("", include("trygg.public.urls")),
]
