import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.clients.models import CODE_PATTERN, ErasureRequest, Person
from trygg.clients.services import Identity

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class IdentityForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    other_names = forms.CharField(label=_("Other names used"), max_length=200, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        help_text=_("Leave empty if not known."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Person.Gender.choices, initial=Person.Gender.NOT_KNOWN
    )
    phone = forms.RegexField(
        label=_("Phone number"),
        regex=r"^\+?[0-9 ()\-]{6,24}$",
        required=False,
        error_messages={"invalid": _("Use only digits, spaces and + ( ) -.")},
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False, widget=TEXTAREA)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Language codes separated by semicolons, for example ru;en."),
    )
    nationality = forms.CharField(
        label=_("Nationality"),
        max_length=200,
        required=False,
        help_text=_("Country codes separated by semicolons, or stateless, or unknown."),
    )
    identity_number = forms.CharField(
        label=_("Identity document number"), max_length=64, required=False
    )
    documents = forms.CharField(
        label=_("Documents held"), max_length=1000, required=False, widget=TEXTAREA
    )
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False, widget=TEXTAREA)

    def identity(self) -> Identity:
        data = self.cleaned_data
        text = {
            name: data.get(name) or "" for name in Person.ENCRYPTED_FIELDS if name != "birth_date"
        }
        return Identity(birth_date=data.get("birth_date"), **text)


class RegisterForm(IdentityForm):
    parent = forms.CharField(
        label=_("Code of the parent, for a minor child of a client"), max_length=12, required=False
    )

    def clean_parent(self) -> str:
        code = str(self.cleaned_data.get("parent") or "").strip().upper()
        if code and not re.fullmatch(CODE_PATTERN, code):
            raise forms.ValidationError(_("A person code looks like K7F3-Q92X."))
        return code


class FindForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    document = forms.CharField(label=_("Identity document number"), max_length=64, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (
            (data.get("name") and data.get("birth_date"))
            or data.get("phone")
            or data.get("document")
        ):
            raise forms.ValidationError(
                _("Search by name and birth date together, by phone number or by identity number.")
            )
        return data


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ErasureRequest.Reason.choices)
