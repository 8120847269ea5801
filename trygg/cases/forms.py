"""Forms of the case page: ending at the client's wish, removal, and the removal's appeal."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"})


class EndForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The client has said that they no longer want to be a client."),
        error_messages={
            "required": _("Confirm that the client no longer wants to be a client."),
        },
    )


class RemovalForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The decision letter gives these reasons to the person."),
    )

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letter_language"] = forms.ChoiceField(
            label=_("Language of the decision letter"), choices=languages
        )


class AppealForm(forms.Form):
    lodged_at = forms.DateField(label=_("Appeal lodged on"), widget=DATE)
