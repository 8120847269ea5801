from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "trygg.public"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from trygg.public import checks  # noqa: F401 (registers the system check)
