"""Included by accounts/manage_urls.py at /manage/api-tokens/, in the `manage` namespace."""

from django.urls import path

from trygg.api import manage_views as views

urlpatterns = [
    path("", views.token_list, name="api_tokens"),
    path("new/", views.token_new, name="api_token_new"),
    path("<slug:prefix>/revoke/", views.token_revoke, name="api_token_revoke"),
]
