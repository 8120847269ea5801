"""Typed readers for settings taken from the environment; they fail loudly on bad values."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PREFIX = "TRYGG_"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    """Return TRYGG_<NAME>; an empty value counts as unset, as for every reader here."""
    return os.environ.get(PREFIX + name) or default


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{PREFIX}{name} must be a boolean (1/0, true/false), got {raw!r}.")


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{PREFIX}{name} must be an integer, got {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str) -> str:
    """Read a secret from TRYGG_<NAME> or from the file named by TRYGG_<NAME>_FILE.

    Setting both is an error, so that an operator never wonders which one is in force.
    """
    direct = os.environ.get(PREFIX + name)
    path = os.environ.get(PREFIX + name + "_FILE")
    if direct and path:
        raise ImproperlyConfigured(f"Set either {PREFIX}{name} or {PREFIX}{name}_FILE, not both.")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{PREFIX}{name}_FILE points to {path}, which cannot be read ({exc.strerror})."
            ) from None
    return (direct or "").strip()


def local_secret(path: Path, *, nbytes: int = 50) -> str:
    """Return the secret stored in `path`, creating it (mode 0600) on first use.

    Only for local, non-production runs: production takes its secrets from the environment.
    """
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    # O_EXCL: two processes starting at once must not both write a key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value
