"""The form an administrator fills in to create an API token."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Membership
from trygg.api.models import ApiToken


class ReferrerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.username} · {obj.organisation.name}"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say which system uses the token, for example the case system of a clinic."),
    )
    membership = ReferrerChoiceField(
        label=_("Acts as"),
        queryset=Membership.objects.none(),
        help_text=_(
            "Referrals sent with the token are this referrer's own, and follow the same rules."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.values,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, memberships: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships  # type: ignore[attr-defined]
