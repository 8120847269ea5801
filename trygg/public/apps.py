from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "trygg.public"
    verbose_name = "Public pages"
