from django.urls import path, register_converter

from trygg.clients import views
from trygg.clients.models import CODE_PATTERN


class PersonCodeConverter:
    regex = CODE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PersonCodeConverter, "person")

app_name = "clients"

urlpatterns = [
    # Finding and registering people
    path("", views.find, name="find"),
    path("new/", views.register, name="register"),
    # One person, by code
    path("<person:code>/", views.person, name="person"),
    path("<person:code>/identity/", views.identity, name="identity"),
    path("<person:code>/erase/", views.erase, name="erase"),
    path("<person:code>/erase/<int:pk>/approve/", views.erase_approve, name="erase_approve"),
    path("<person:code>/erase/<int:pk>/cancel/", views.erase_cancel, name="erase_cancel"),
]
