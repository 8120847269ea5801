"""The admission decision letter: `cases.letters` made for a referral's decision.

A request for more information goes to the referrer and has no letter; where referrals go to
the responsible services (Norway's profile) there is no admission decision and no letter.
"""

from trygg.cases.letters import LetterError, LetterKind, letter_languages
from trygg.cases.letters import render_letter as _render
from trygg.jurisdictions.profiles import Profile
from trygg.lib.content import Content
from trygg.referrals.models import Decision

__all__ = ["LETTER_OUTCOMES", "LetterError", "has_letter", "letter_languages", "render_letter"]

LETTER_OUTCOMES = {
    Decision.Outcome.ADMIT: LetterKind.ADMITTED,
    Decision.Outcome.NOT_ADMIT: LetterKind.NOT_ADMITTED,
}


def has_letter(decision: Decision, profile: Profile) -> bool:
    """Whether a letter can be made for `decision` in its letter language."""
    return decision.outcome in LETTER_OUTCOMES and decision.letter_language in letter_languages(
        profile
    )


def render_letter(decision: Decision, reasons: str, content: Content, profile: Profile) -> bytes:
    """Render the letter for an admission decision in the content's language; return the PDF."""
    kind = LETTER_OUTCOMES.get(Decision.Outcome(decision.outcome))
    if kind is None:
        raise LetterError("There is no decision letter for this decision.")
    return _render(
        kind=kind,
        decided_at=decision.decided_at,
        reference=decision.referral.code,
        reasons=reasons,
        content=content,
        profile=profile,
    )
