"""The API's URL patterns, mounted at /api/v1/ by trygg/urls.py in the namespace `api`.

The API authenticates each request by its token, not by a login session: its views are
exempt from LoginRequiredMiddleware (and django-ninja exempts them from CSRF, which only
protects cookie-based sessions).
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern

from trygg.api.api import api

urlpatterns, _app, _namespace = api.urls
app_name = "api"

for _pattern in urlpatterns:
    if isinstance(_pattern, URLPattern):
        login_not_required(_pattern.callback)
