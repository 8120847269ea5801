"""The self-referral form of the help page: a person asks the assistance system to contact them.

No account, no cookie, no CSRF token (which would need a cookie): instead the post must come
from this site (its Origin header, when sent, must be ours), and each client address may send a
few forms an hour (the address is kept only as a keyed hash in the cache, for the hour). After
sending, the person sees a neutral page that repeats nothing of what they typed.
"""

import hashlib
import hmac
import logging
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from trygg.lib.content import Content
from trygg.lib.http import client_ip
from trygg.referrals import services
from trygg.referrals.contact import Channel, ContactPreferences

logger = logging.getLogger(__name__)

# Forms a client address may send in an hour, and all clients together.
PER_ADDRESS_PER_HOUR = 5
ALL_PER_HOUR = 300


class SelfReferralForm(forms.Form):
    """Labels and messages come from the page's content file, in the page's language."""

    def __init__(self, *args: Any, content: Content, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text = content["self_referral"]
        choice_error = {"required": text["error_choice"], "invalid_choice": text["error_choice"]}
        too_long = {"max_length": text["error_too_long"]}
        self.fields["name"] = forms.CharField(
            label=text["name"], max_length=100, required=False, error_messages=too_long
        )
        self.fields["channel"] = forms.ChoiceField(
            label=text["channel"],
            choices=[
                (Channel.PHONE, text["channel_phone"]),
                (Channel.TEXT, text["channel_text"]),
                (Channel.EMAIL, text["channel_email"]),
                (Channel.TRUSTED, text["channel_trusted"]),
            ],
            widget=forms.RadioSelect,
            error_messages=choice_error,
        )
        self.fields["reach"] = forms.CharField(
            label=text["contact"],
            max_length=200,
            error_messages={"required": text["error_contact"], **too_long},
        )
        self.fields["safe_times"] = forms.CharField(
            label=text["safe_times"], max_length=200, required=False, error_messages=too_long
        )
        self.fields["leave_message"] = forms.ChoiceField(
            label=text["leave_message"],
            choices=[("yes", text["yes"]), ("no", text["no"])],
            widget=forms.RadioSelect,
            error_messages=choice_error,
        )
        self.fields["in_danger"] = forms.BooleanField(label=text["in_danger"], required=False)
        self.fields["shelter"] = forms.BooleanField(label=text["shelter"], required=False)
        self.fields["message"] = forms.CharField(
            label=text["message"],
            max_length=4000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages=too_long,
        )
        for field in self.fields.values():
            # Nothing typed here is remembered by the browser for the next person at this device.
            field.widget.attrs["autocomplete"] = "off"

    def refer(self, language: str) -> None:
        """Send the referral to the assistance system; raise ReferralError if it cannot."""
        data = self.cleaned_data
        channel = data["channel"]
        reach = data["reach"].strip()
        preferences = ContactPreferences(
            channel=channel,
            reach=reach,
            safe_times=data["safe_times"].strip(),
            may_leave_message=data["leave_message"] == "yes",
        )
        services.self_refer(
            needs=services.Needs(
                safety_threat=data["in_danger"], shelter_tonight=data["shelter"], language=language
            ),
            details=services.PersonDetails(
                full_name=data["name"].strip(),
                phone=reach if channel in (Channel.PHONE, Channel.TEXT) else "",
                email=reach if channel == Channel.EMAIL else "",
                circumstances=data["message"].strip(),
                contact_preferences=preferences.to_text(),
            ),
            language=language,
        )


def same_origin(request: HttpRequest) -> bool:
    """False when the browser says the post comes from another site.

    The form's page sends its Referer to this site only (Referrer-Policy: same-origin), so
    browsers send its true Origin with the post. An absent or opaque ("null") Origin cannot be
    told apart from a privacy setting, and is let through: the hourly limit still applies.
    """
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return True
    return origin == f"{request.scheme}://{request.get_host()}"


def allowed_now(request: HttpRequest) -> bool:
    """Count this post against the hourly limits; False when a limit is reached."""
    address = client_ip(request) or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    keys = (f"trygg:self-referral:{digest[:32]}", "trygg:self-referral:all")
    limits = (PER_ADDRESS_PER_HOUR, ALL_PER_HOUR)
    for key in keys:
        cache.add(key, 0, timeout=3600)
    counts = [cache.incr(key) for key in keys]
    if any(count > limit for count, limit in zip(counts, limits, strict=True)):
        logger.warning("Self-referral refused: the hourly limit was reached.")
        return False
    return True
