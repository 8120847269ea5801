from django.urls import path

from trygg.accounts import views

app_name = "accounts"

urlpatterns = [
    # Logging in: password, then the second factor (enrolment at the first login)
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.verify, name="verify"),
    path("login/enrol/", views.enrol, name="enrol"),
    path("logout/", views.logout_view, name="logout"),
    # One's own account
    path("", views.account, name="account"),
    path("sudo/", views.sudo, name="sudo"),
    path("password/", views.password, name="password"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
