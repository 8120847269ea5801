"""Fill the {placeholders} of a content text with phone links, escaping everything else."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from trygg.jurisdictions.profiles import Contact

register = template.Library()

_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


@register.filter
def fill(text: str, values: dict[str, SafeString]) -> SafeString:
    """Return `text` escaped, with each {name} replaced by the ready HTML in values[name]."""

    def replace(match: re.Match[str]) -> str:
        return str(values[match.group(1)])

    # Escaping leaves braces alone, so the placeholders survive it.
    return mark_safe(_PLACEHOLDER_RE.sub(replace, str(conditional_escape(text))))  # noqa: S308


@register.simple_tag
def contact_link(contact: Contact) -> SafeString:
    """A tel: or mailto: link whose text is the number or address, kept left to right."""
    return phone_link(contact.value, contact.href)


def phone_link(value: str, href: str) -> SafeString:
    # <bdi dir=ltr> keeps "+358 2954 63177" in order inside right-to-left text.
    return format_html('<a href="{}" class="number"><bdi dir="ltr">{}</bdi></a>', href, value)
