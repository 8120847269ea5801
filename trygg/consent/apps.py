from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "trygg.consent"
    verbose_name = "Consent"
