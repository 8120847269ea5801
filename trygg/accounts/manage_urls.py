from django.urls import include, path

from trygg.accounts import manage_views as views

app_name = "manage"

urlpatterns = [
    # Organisations
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<uuid:code>/", views.organisation_detail, name="organisation"),
    # Users and their roles
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<uuid:code>/", views.user_detail, name="user"),
    path("users/<uuid:code>/roles/", views.user_role, name="user_role"),
    path(
        "users/<uuid:code>/roles/<int:membership>/revoke/",
        views.user_role_revoke,
        name="user_role_revoke",
    ),
    path("users/<uuid:code>/active/", views.user_active, name="user_active"),
    path("users/<uuid:code>/reset-mfa/", views.user_reset_mfa, name="user_reset_mfa"),
    # Security events, for auditors
    path("security-events/", views.security_events, name="security_events"),
    # API tokens (trygg/api/manage_urls.py: the names api_tokens, api_token_new, …)
    path("api-tokens/", include("trygg.api.manage_urls")),
]
