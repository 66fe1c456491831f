#!/usr/bin/env bash
# Adds Edgewise to the desktop's application menu (per user, freedesktop.org systems) so documents can be
# opened with it. Run after `make run` has created .venv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"
mkdir -p "$apps" "$icons"
cp "$root/resources/icons/edgewise.svg" "$icons/edgewise.svg"
sed "s|^Exec=edgewise|Exec=$root/.venv/bin/edgewise|" "$root/packaging/edgewise.desktop" > "$apps/edgewise.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
echo "Installed $apps/edgewise.desktop"
