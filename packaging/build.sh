#!/usr/bin/env bash
# Build the one-folder ReviewDay bundle into dist/ReviewDay/ and smoke-test it.
#   packaging/build.sh            build, smoke-test, report the size (dist/bundle-size.json)
#   packaging/build.sh --no-build smoke-test and measure an existing dist/ReviewDay
# Needs the project's virtual environment (scripts/dev setup). Linux; see docs/packaging.md for
# Windows and macOS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="$here/.venv"
bundle="$here/dist/ReviewDay"
exe="$bundle/ReviewDay"
# A regression guard, not the goal: the goal is under 150 MB (see docs/packaging.md).
max_mb="${REVIEWDAY_BUNDLE_MAX_MB:-160}"

fail() { echo "build.sh: $*" >&2; exit 1; }

[ -x "$venv/bin/python" ] || fail "no virtual environment at .venv: run scripts/dev setup first."
if [ ! -x "$venv/bin/pyinstaller" ]; then
  echo "Installing PyInstaller into .venv"
  "$venv/bin/python" -m pip install -q -e ".[packaging]"
fi

build_seconds=0
if [ "${1:-}" != "--no-build" ]; then
  echo "Building dist/ReviewDay with PyInstaller..."
  start=$(date +%s)
  log="$here/build/pyinstaller-build.log"
  mkdir -p "$here/build"
  if ! "$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN --distpath "$here/dist" \
      --workpath "$here/build/pyinstaller" packaging/reviewday.spec >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "PyInstaller failed; the whole log is in $log"
  fi
  build_seconds=$(( $(date +%s) - start ))
  echo "Built in ${build_seconds} s"
fi
[ -x "$exe" ] || fail "there is no bundle at $exe."

# --- Smoke test: a sandboxed home, no display, a throwaway encrypted database. ---------------
smoke_start=$(date +%s)
sandbox="$(mktemp -d "${TMPDIR:-/tmp}/reviewday-smoke.XXXXXX")"
trap 'rm -rf "$sandbox"' EXIT
run() {
  env -i PATH="/usr/bin:/bin" HOME="$sandbox/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" XDG_STATE_HOME="$sandbox/state" \
    XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/runtime" \
    REVIEWDAY_PASSPHRASE="smoke-test-passphrase" timeout 120 "$exe" "$@"
}
mkdir -m 700 -p "$sandbox/home" "$sandbox/runtime"
checks=0
step() { printf '  %-44s' "$1"; }
ok() { echo "ok${1:+ ($1)}"; checks=$((checks + 1)); }

echo "Smoke test of $exe"
expected="$(awk -F'"' '/^version *=/{print $2; exit}' pyproject.toml)"
step "--version"
version="$(run --version)" || fail "--version failed."
[ "$version" = "reviewday $expected" ] || fail "--version printed '$version', expected 'reviewday $expected'."
ok "$expected"

step "window opens (--demo --exit-when-ready)"
out="$(run --demo --exit-when-ready 2>"$sandbox/gui.err")" || { cat "$sandbox/gui.err" >&2; fail "the window did not open."; }
[ "$(printf '%s\n' "$out" | tail -n 1)" = "ready" ] || fail "the window did not report ready (got '$out')."
ok

step "templates (KLOE templates and schema)"
count="$(run templates | wc -l)"
[ "$count" -ge 1 ] || fail "no KLOE templates were found in the bundle."
ok "$count templates"

step "demo (Alembic migrations, SQLCipher)"
db="$sandbox/demo.sqlite3"
review_id="$(run demo --db "$db" 2>/dev/null)" || fail "'demo' could not create a database."
[[ "$review_id" =~ ^[0-9]+$ ]] || fail "'demo' printed '$review_id' instead of a review id."
ok "review $review_id"

step "list"
run list --db "$db" | grep -q "^$review_id " || fail "'list' does not show review $review_id."
ok

for format in pdf easyread docx xlsx; do
  step "export --format $format"
  out_file="$sandbox/report.$format"
  run export --db "$db" --format "$format" --out "$out_file" "$review_id" >/dev/null \
    || fail "'export --format $format' failed."
  [ -s "$out_file" ] || fail "'export --format $format' wrote nothing."
  ok "$(( $(stat -c %s "$out_file") / 1024 )) KB"
done
head -c 5 "$sandbox/report.pdf" | grep -q '%PDF-' || fail "the PDF export is not a PDF file."
if command -v pdffonts >/dev/null 2>&1; then
  pdffonts "$sandbox/report.pdf" | grep -q "LiberationSans" || fail "the PDF does not embed the bundled fonts."
fi
step "verify (pyHanko reads the PDF)"
set +e; verdict="$(run verify "$sandbox/report.pdf" 2>/dev/null)"; status=$?; set -e
[ "$status" -eq 1 ] && grep -q "not signed" <<<"$verdict" || fail "'verify' did not read the unsigned PDF (exit $status)."
ok "unsigned, as expected"

step "identity create (cryptography)"
run identity create --name "Smoke Test" --role Chair >/dev/null || fail "'identity create' failed."
ok

# The team database through the bundled PostgreSQL driver (psycopg over the shipped libpq), when a
# server is there to talk to: .ci/run starts one (scripts/test-postgres-server).
if [ -n "${REVIEWDAY_TEST_POSTGRES_URL:-}" ]; then
  step "team database (psycopg, bundled libpq)"
  team() {
    env -i PATH="/usr/bin:/bin" HOME="$sandbox/home" LANG=C.UTF-8 PGPASSWORD="${PGPASSWORD:-}" \
      XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" XDG_RUNTIME_DIR="$sandbox/runtime" \
      timeout 120 "$exe" "$@"
  }
  team_id="$(team demo --db "$REVIEWDAY_TEST_POSTGRES_URL" 2>"$sandbox/team.err")" \
    || { cat "$sandbox/team.err" >&2; fail "'demo' could not write to the team database."; }
  team list --db "$REVIEWDAY_TEST_POSTGRES_URL" | grep -q "^$team_id " \
    || fail "'list' does not show review $team_id from the team database."
  ok "review $team_id"
else
  echo "  team database: not checked (no REVIEWDAY_TEST_POSTGRES_URL; .ci/run starts a server)"
fi

smoke_seconds=$(( $(date +%s) - smoke_start ))
echo "Smoke test passed in ${smoke_seconds} s"

if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate packaging/reviewday.desktop
fi

# --- Size: total, the largest items, written to dist/bundle-size.json. -----------------------
"$venv/bin/python" packaging/bundle_size.py "$bundle" --out "$here/dist/bundle-size.json" \
  --build-seconds "$build_seconds" --smoke-seconds "$smoke_seconds" --max-mb "$max_mb"
echo "smoke: $checks passed, 0 failed"
