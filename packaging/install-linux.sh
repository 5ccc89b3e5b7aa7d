#!/usr/bin/env bash
# Install the built bundle for the current user only (no root): the program in
# ~/.local/opt/ReviewDay, a `reviewday` command in ~/.local/bin, the menu entry and its icons.
#   packaging/install-linux.sh [BUNDLE_DIR]     (default: dist/ReviewDay)
#   packaging/install-linux.sh --uninstall
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
target="$HOME/.local/opt/ReviewDay"
bin="$HOME/.local/bin"
sizes=(16 24 32 48 64 128 256 512)

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$target" "$bin/reviewday" "$data/applications/reviewday.desktop" \
    "$data/icons/hicolor/scalable/apps/reviewday.svg"
  for size in "${sizes[@]}"; do rm -f "$data/icons/hicolor/${size}x${size}/apps/reviewday.png"; done
  echo "ReviewDay removed (your reviews and settings are kept)."
  exit 0
fi

bundle="${1:-$here/dist/ReviewDay}"
[ -x "$bundle/ReviewDay" ] || { echo "install-linux.sh: there is no built bundle at $bundle (run packaging/build.sh)." >&2; exit 2; }

rm -rf "$target.new" && mkdir -p "$(dirname "$target")" && cp -a "$bundle" "$target.new"
rm -rf "$target" && mv "$target.new" "$target"
mkdir -p "$bin" && ln -sfn "$target/ReviewDay" "$bin/reviewday"
install -Dm644 "$here/packaging/reviewday.desktop" "$data/applications/reviewday.desktop"
install -Dm644 "$here/resources/icons/reviewday.svg" "$data/icons/hicolor/scalable/apps/reviewday.svg"
for size in "${sizes[@]}"; do
  install -Dm644 "$here/resources/icons/reviewday-$size.png" "$data/icons/hicolor/${size}x${size}/apps/reviewday.png"
done
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "ReviewDay installed in $target; start it from the menu or with 'reviewday'."
case ":$PATH:" in *":$bin:"*) ;; *) echo "Note: add $bin to PATH to use the 'reviewday' command." ;; esac
