#!/usr/bin/env bash
# The whole test run behind `make test`: static checks, then the suite on SQLite and again
# on a throwaway PostgreSQL. Under CI=true nothing may be skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
export PYTHONDONTWRITEBYTECODE=1

step() { printf '\n==> %s\n' "$*"; }

step "ruff (lint and format)"
$bin/ruff check .
$bin/ruff format --check .

step "mypy"
$bin/mypy trygg

step "migrations are up to date"
TRYGG_ENV=test TRYGG_SECRET_KEY=migrations-check-only-0123456789-0123456789-0123456789 \
  TRYGG_DATABASE_URL="sqlite://:memory:" $bin/trygg makemigrations --check --dry-run

step "check --deploy under production settings"
TRYGG_ENV=production \
  TRYGG_SECRET_KEY="$($bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  TRYGG_ALLOWED_HOSTS=trygg.example.org \
  TRYGG_DATABASE_URL="sqlite://:memory:" \
  TRYGG_VAULT_KEYS="k1:$($bin/python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
  $bin/trygg check --deploy --fail-level WARNING

pytest_args=(-p no:cacheprovider)
if [ "${CI:-}" = "true" ]; then
  # A skipped test in CI means a missing component: fail instead.
  pytest_args+=(--strict-no-skips)
fi

step "test suite on SQLite"
$bin/pytest "${pytest_args[@]}" "$@"

step "test suite on PostgreSQL"
scripts/with-postgres.sh $bin/pytest "${pytest_args[@]}" "$@"
