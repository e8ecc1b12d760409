#!/usr/bin/env bash
# Installs the third-party servers the ThirdPartyTests record and replay (Kinto, Jupyter Server), pinned,
# into a virtualenv under .build/thirdparty-venv. Skips the install when the pinned versions are already
# there (a stamp file holds the pins). Needs python3 with venv and PyPI access.
# Usage: scripts/install-test-servers.sh [VENV_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-.build/thirdparty-venv}
# Pinned: both are permissively licensed (Kinto: Apache-2.0; Jupyter Server: BSD-3-Clause).
pins=(kinto==26.5.0 jupyter-server==2.21.1)
stamp="$venv/.stampede-pins"

if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "${pins[*]}" ]; then
    exit 0
fi
command -v python3 >/dev/null || { echo "install-test-servers: python3 is missing" >&2; exit 1; }
started=$(date +%s)
rm -rf "$venv"
if ! python3 -m venv "$venv"; then
    # Debian's python3 ships venv separately.
    rm -rf "$venv"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "install-test-servers: installing python3-venv" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
"$venv/bin/kinto" --help >/dev/null
"$venv/bin/jupyter-server" --version >/dev/null
echo "${pins[*]}" >"$stamp"
echo "install-test-servers: ${pins[*]} into $venv in $(( $(date +%s) - started )) s" >&2
