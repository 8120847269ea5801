"""Clear-text values of encrypted fields, held in memory only, as strings for the vault."""

from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from typing import Any, ClassVar, Self


class InClear:
    """Mixin for a frozen dataclass whose fields the vault stores encrypted.

    `FIELDS` names the encrypted fields in order. Dates travel as ISO strings; empty values are
    left out, so that no ciphertext is stored for nothing.
    """

    FIELDS: ClassVar[tuple[str, ...]]

    def __repr__(self) -> str:
        # Never print the values: a repr can end up in a traceback or a log.
        return f"{type(self).__name__}(<hidden>)"

    def as_strings(self) -> dict[str, str]:
        """The non-empty fields as strings, ready for the vault."""
        values = {}
        for name in self.FIELDS:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            if value:
                values[name] = str(value).strip()
        return values

    @classmethod
    def from_strings(cls, values: Mapping[str, str]) -> Self:
        """The dataclass from decrypted strings; unknown names are ignored."""
        data: dict[str, Any] = dict(values)
        if data.get("birth_date"):
            data["birth_date"] = date.fromisoformat(str(data["birth_date"]))
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{key: value for key, value in data.items() if key in known})
