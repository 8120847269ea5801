"""How a person who refers themselves may be contacted: kept encrypted, shown to staff.

Stored as JSON in the referral's encrypted `contact_preferences`, so that the staff page can
show it in the staff member's language whatever language the person wrote in.
"""

import json
from dataclasses import asdict, dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("A phone call")
    TEXT = "text", _("A text message")
    EMAIL = "email", _("An e-mail")
    TRUSTED = "trusted", _("Through a person the person trusts")


@dataclass(frozen=True)
class ContactPreferences:
    channel: str
    # The number or address, or how to reach the trusted person.
    reach: str
    safe_times: str
    may_leave_message: bool

    def __repr__(self) -> str:
        return "ContactPreferences(<hidden>)"

    def to_text(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_text(cls, text: str) -> "ContactPreferences | None":
        """The preferences stored by `to_text`; None for free text or nothing."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("channel") not in Channel.values:
            return None
        return cls(
            channel=data["channel"],
            reach=str(data.get("reach", "")),
            safe_times=str(data.get("safe_times", "")),
            may_leave_message=bool(data.get("may_leave_message")),
        )

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)
