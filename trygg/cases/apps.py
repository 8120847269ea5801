from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "trygg.cases"
    verbose_name = "Cases"
