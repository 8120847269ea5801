from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "trygg.referrals"
    verbose_name = "Referrals"
