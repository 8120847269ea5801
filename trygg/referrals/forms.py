"""The referral form (drafts, consent or anonymous consultation), triage and decision forms."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation, User
from trygg.clients.services import Identity
from trygg.consent.models import Consent
from trygg.consent.services import GivenConsent
from trygg.referrals.models import Decision, HotlineCall, Referral
from trygg.referrals.services import Needs, PersonDetails

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"})


class ConsentFields(forms.Form):
    """How the person gave consent: shared by the referral and the admission forms."""

    # Required only in some cases (consent given, an admission): not shown as "optional".
    conditional: tuple[str, ...] = (
        "consent",
        "consent_given_by",
        "consent_method",
        "consent_language",
        "home_municipality",
    )

    consent_given_by = forms.ChoiceField(
        label=_("Who gave the consent"), choices=Consent.GivenBy.choices, required=False
    )
    consent_method = forms.ChoiceField(
        label=_("How the consent was given"), choices=Consent.Method.choices, required=False
    )
    consent_language = forms.CharField(
        label=_("Language the person was informed in"),
        max_length=16,
        required=False,
        help_text=_("A language code, for example ru or vi."),
    )
    consent_interpreter = forms.ChoiceField(
        label=_("Interpreter"), choices=Consent.Interpreter.choices, required=False
    )

    def given_consent(self) -> GivenConsent:
        data = self.cleaned_data
        return GivenConsent(
            given_by=data["consent_given_by"],
            method=data["consent_method"],
            language=data["consent_language"],
            interpreter=data["consent_interpreter"] or Consent.Interpreter.NONE,
        )

    def check_consent_fields(self) -> None:
        for name in ("consent_given_by", "consent_method", "consent_language"):
            if not self.cleaned_data.get(name):
                self.add_error(name, _("Fill this in to record the person's consent."))


class ReferralForm(ConsentFields):
    """A partner's referral. Without consent it becomes an anonymous consultation."""

    CONSENT_YES = "yes"
    CONSENT_NO = "no"

    consent = forms.ChoiceField(
        label=_("Has the person agreed to this referral?"),
        choices=[
            (CONSENT_YES, _("Yes: the person agrees that their details are sent")),
            (
                CONSENT_NO,
                _("No, or not yet: ask for advice without anything that identifies the person"),
            ),
        ],
        widget=forms.RadioSelect,
    )
    # The person
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    phone = forms.RegexField(
        label=_("Phone number"),
        regex=r"^\+?[0-9 ()\-]{6,24}$",
        required=False,
        error_messages={"invalid": _("Use only digits, spaces and + ( ) -.")},
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    address = forms.CharField(
        label=_("Where the person can be reached safely"),
        max_length=500,
        required=False,
        widget=TEXTAREA,
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=200, required=False)
    identity_number = forms.CharField(
        label=_("Identity document number"), max_length=64, required=False
    )
    possible_minor = forms.BooleanField(label=_("The person may be under 18"), required=False)
    children_count = forms.IntegerField(
        label=_("Minor children to include"), min_value=0, max_value=20, initial=0
    )
    children = forms.CharField(
        label=_("The children: first names and ages"),
        max_length=1000,
        required=False,
        widget=TEXTAREA,
    )
    # Urgent needs
    safety_threat = forms.BooleanField(label=_("The person's safety is threatened"), required=False)
    shelter_tonight = forms.BooleanField(
        label=_("The person needs a safe place to stay tonight"), required=False
    )
    medical_need = forms.BooleanField(label=_("The person needs medical care now"), required=False)
    # The exploitation
    forms_of_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=Referral.Form.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place = forms.ChoiceField(
        label=_("Where the exploitation happened"),
        choices=Referral.Place.choices,
        initial=Referral.Place.UNKNOWN,
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Referral.Sector.choices, required=False)
    circumstances = forms.CharField(
        label=_("What is known of the situation"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only what is needed to assess the referral. Do not interrogate the person."),
    )
    # Language
    language = forms.CharField(
        label=_("The person's language"),
        max_length=32,
        required=False,
        help_text=_("A language code, for example ru or vi."),
    )
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    # The referrer
    referrer_contact = forms.CharField(
        label=_("How the assistance system can reach you"),
        max_length=500,
        required=False,
        widget=TEXTAREA,
    )

    IDENTIFYING = ("full_name", "birth_date", "phone", "email", "address", "identity_number")

    # The form's sections, in order: a short page on a phone is a list of small groups.
    GROUPS = (
        (
            _("Consent"),
            (
                "receiving",
                "consent",
                "consent_given_by",
                "consent_method",
                "consent_language",
                "consent_interpreter",
            ),
        ),
        (
            _("The person"),
            (
                "full_name",
                "birth_date",
                "phone",
                "email",
                "address",
                "nationality",
                "identity_number",
                "possible_minor",
                "children_count",
                "children",
            ),
        ),
        (_("Urgent needs"), ("safety_threat", "shelter_tonight", "medical_need")),
        (
            _("The exploitation"),
            ("forms_of_exploitation", "place", "sector", "circumstances"),
        ),
        (_("Language"), ("language", "interpreter_needed")),
        (_("You, the referrer"), ("referrer_contact",)),
    )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The visible fields by section, for the template."""
        return [
            (str(title), [self[name] for name in names if name in self.fields])
            for title, names in self.GROUPS
        ]

    field_order = [
        "consent",
        "consent_given_by",
        "consent_method",
        "consent_language",
        "consent_interpreter",
    ]

    def __init__(
        self,
        *args: Any,
        sending: bool = False,
        services: QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # A draft may be saved half-filled; sending needs the consent question answered.
        self.sending = sending
        self.fields["consent"].required = sending
        if services is not None:
            # Where referrals go to the responsible services: the referrer chooses which.
            self.fields["receiving"] = forms.ModelChoiceField(
                label=_("Refer to"),
                queryset=services,
                help_text=_(
                    "Child welfare for anyone who may be under 18; the police when the person "
                    "needs protection; the municipality for housing and social services."
                ),
            )
            self.order_fields(["receiving", *self.field_order])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent") == self.CONSENT_NO:
            for name in self.IDENTIFYING:
                if data.get(name):
                    self.add_error(
                        name,
                        _(
                            "Without the person's consent, leave this empty: "
                            "the assistance system must not receive anything that identifies "
                            "them."
                        ),
                    )
        elif self.sending and data.get("consent") == self.CONSENT_YES:
            self.check_consent_fields()
            if not data.get("full_name"):
                self.add_error("full_name", _("Enter the person's name."))
        return data

    @property
    def is_consultation(self) -> bool:
        return self.cleaned_data.get("consent") == self.CONSENT_NO

    def needs(self) -> Needs:
        data = self.cleaned_data
        return Needs(
            safety_threat=data["safety_threat"],
            shelter_tonight=data["shelter_tonight"],
            medical_need=data["medical_need"],
            possible_minor=data["possible_minor"],
            children_count=data["children_count"] or 0,
            forms=tuple(data["forms_of_exploitation"]),
            place=data["place"],
            sector=data["sector"] or "",
            language=data["language"],
            interpreter_needed=data["interpreter_needed"],
        )

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            full_name=data["full_name"],
            birth_date=data["birth_date"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            nationality=data["nationality"],
            identity_number=data["identity_number"],
            children=data["children"],
            circumstances=data["circumstances"],
            referrer_contact=data["referrer_contact"],
        )

    @classmethod
    def initial_from(cls, referral: Referral, details: PersonDetails) -> dict[str, Any]:
        """The form's values for a saved draft."""
        initial: dict[str, Any] = {
            name: getattr(details, name)
            for name in (
                "full_name",
                "birth_date",
                "phone",
                "email",
                "address",
                "nationality",
                "identity_number",
                "children",
                "circumstances",
                "referrer_contact",
            )
        }
        initial.update(
            {
                name: getattr(referral, name)
                for name in (
                    "safety_threat",
                    "shelter_tonight",
                    "medical_need",
                    "possible_minor",
                    "children_count",
                    "place",
                    "sector",
                    "language",
                    "interpreter_needed",
                )
            }
        )
        initial["forms_of_exploitation"] = referral.forms
        if referral.is_consultation:
            initial["consent"] = cls.CONSENT_NO
        return initial


class PlainSelect(forms.Select):
    """A select whose options are joined in Python, not rendered by a template each.

    An assistance system's staff list can be long: 2,000 options through Django's option
    template cost 250 ms a page, joined here about 5 ms. Escaping is `format_html`'s.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        final = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


class StaffChoiceField(forms.ModelChoiceField):
    widget = PlainSelect

    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class AssignForm(forms.Form):
    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = StaffChoiceField(label=_("Case worker"), queryset=staff)


class DecisionForm(ConsentFields):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The decision letter gives these reasons to the person. A request for more "
            "information shows them to the referrer as the question."
        ),
    )

    home_municipality = forms.ChoiceField(
        label=_("For an admission: does the person have a home municipality?"),
        choices=Decision.HomeMunicipality.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "With a home municipality, the municipality arranges the services; without one, "
            "the assistance system does."
        ),
    )

    def __init__(
        self,
        *args: Any,
        languages: list[tuple[str, str]],
        outcomes: tuple[str, ...] = (
            Decision.Outcome.ADMIT,
            Decision.Outcome.NOT_ADMIT,
            Decision.Outcome.MORE_INFORMATION,
        ),
        children: int = 0,
        **kwargs: Any,
    ) -> None:
        """`children` is the number the referral gave: one name and birth date for each."""
        super().__init__(*args, **kwargs)
        self.child_numbers = range(1, children + 1) if Decision.Outcome.ADMIT in outcomes else ()
        outcome = self.fields["outcome"]
        if isinstance(outcome, forms.ChoiceField):
            outcome.choices = [
                (value, label) for value, label in Decision.Outcome.choices if value in outcomes
            ]
        if Decision.Outcome.ADMIT not in outcomes:
            # No admission here: no client consent and no home municipality to record.
            for name in (
                "home_municipality",
                "consent_given_by",
                "consent_method",
                "consent_language",
                "consent_interpreter",
            ):
                del self.fields[name]
        self.fields["letter_language"] = forms.ChoiceField(
            label=_("Language of the decision letter"), choices=languages
        )
        for number in self.child_numbers:
            self.fields[f"child_{number}_name"] = forms.CharField(
                label=_("Name of child %(number)s") % {"number": number},
                max_length=200,
                required=False,
                help_text=_(
                    "The referral names the children to include. Leave the name empty for a "
                    "child who is not admitted with their parent."
                )
                if number == 1
                else "",
            )
            self.fields[f"child_{number}_birth_date"] = forms.DateField(
                label=_("Birth date of child %(number)s") % {"number": number},
                required=False,
                widget=DATE,
            )
        self.order_fields(["outcome", "reasons", "letter_language", "home_municipality"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Decision.Outcome.ADMIT:
            # Nobody is admitted against their will: the person's own consent, recorded here.
            self.check_consent_fields()
            if not data.get("home_municipality"):
                self.add_error(
                    "home_municipality", _("Say whether the person has a home municipality.")
                )
            self._check_children(data)
        return data

    def _check_children(self, data: dict[str, Any]) -> None:
        today = timezone.localdate()
        for number in self.child_numbers:
            name = (data.get(f"child_{number}_name") or "").strip()
            born = data.get(f"child_{number}_birth_date")
            if born and not name:
                self.add_error(f"child_{number}_name", _("Enter the child's name."))
            elif born and (born > today or _age(born, today) >= 18):
                self.add_error(
                    f"child_{number}_birth_date",
                    _("A child admitted with their parent must be under 18 years old."),
                )

    def children(self) -> list[Identity]:
        """The children admitted with their parent, from a valid form."""
        if self.cleaned_data.get("outcome") != Decision.Outcome.ADMIT:
            return []
        admitted = []
        for number in self.child_numbers:
            name = (self.cleaned_data.get(f"child_{number}_name") or "").strip()
            if name:
                born = self.cleaned_data.get(f"child_{number}_birth_date")
                admitted.append(Identity(full_name=name, birth_date=born))
        return admitted


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class CallForm(forms.Form):
    caller = forms.ChoiceField(label=_("Who called"), choices=HotlineCall.Caller.choices)
    is_anonymous = forms.BooleanField(
        label=_("The caller did not give their name"), required=False, initial=True
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    summary = forms.CharField(
        label=_("What the call was about"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your answer is added to what you told of the situation."),
    )
