#!/usr/bin/env bash
# One command from a fresh Debian/Ubuntu clone to a working Signet:
#   - installs the runtime packages (SoftHSM2 for the demo token, OpenSC + pcscd for real cards) and
#     what compiling pkcs11js needs (python3, make, g++),
#   - installs the npm dependencies and builds,
#   - creates the demo token (`signet demo init`),
#   - on a workstation (a graphical session) starts the desktop app; elsewhere shows the CLI
#     working against the demo token.
# Options: --cli (never start the app), --app (always try to start the app).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=auto
for a in "$@"; do
  case "$a" in
    --cli) mode=cli ;;
    --app) mode=app ;;
    *) echo "usage: scripts/setup.sh [--cli|--app]" >&2; exit 2 ;;
  esac
done

# python3, make, g++: node-gyp compiles pkcs11js (the PKCS#11 binding) during `npm ci`; it ships no
# prebuilt binary. libnss3-tools: modutil/certutil for the portal window (docs/tls-client-auth.md).
PACKAGES=(softhsm2 opensc pcscd python3 make g++ libnss3-tools)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Electron runtime is fetched by `npm start` on first launch (scripts/ensure-electron.mjs),
# not at install time, so installing works on machines without access to its download host.
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
npm run build

npx --no-install signet demo init

if [ "$mode" = app ] || { [ "$mode" = auto ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; }; then
  exec npm start
fi

echo
echo "Signet is ready. The demo token's certificates:"
npx --no-install signet certs
echo
echo "Next: npx signet sign FILE --key '<private key URI from above>'   (see README.md)"
