#!/usr/bin/env bash
# Install the machine packages Trygg's tests need, when missing: Debian's Chromium (browser
# tests), Noto fonts (every script renders), PostgreSQL (the production database), gettext
# (translation catalogues), poppler-utils (reading PDFs back), the text layout libraries
# WeasyPrint loads to render the help card, and npm (axe-core for the accessibility checks).
set -euo pipefail

packages=(chromium fonts-noto-core postgresql gettext poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# npm runs the accessibility checker's install; Debian's npm only where none is on the PATH.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "These packages are missing: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing machine packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
