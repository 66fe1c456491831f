#!/usr/bin/env bash
# Installs the system libraries Qt needs and a bare Debian/Ubuntu machine lacks (QtMultimedia needs
# libpulse0; the xcb platform plugin needs the xcb utility libraries), and the OCR engine that reads scanned
# pages and photos: Tesseract with its orientation data and the English, French, German and Spanish packs
# (add others the same way, e.g. tesseract-ocr-ita); and antiword, which reads Word 97-2003 (.doc) files. Does
# nothing when all are present.
set -euo pipefail

packages=(libpulse0 libxkbcommon0 libxkbcommon-x11-0 libegl1 libgl1 libopengl0 libfontconfig1 libdbus-1-3
          libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
          libxcb-randr0 libxcb-image0 libxcb-render-util0
          tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-spa
          antiword)

if ! command -v dpkg >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-style system; make sure Qt 6's runtime libraries and Tesseract OCR" \
       "(with its English pack) are installed." >&2
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-system-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "install-system-deps: please install as root: apt-get install ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
