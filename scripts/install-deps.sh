#!/usr/bin/env bash
# Installs the system libraries Stampede links against and the tools its tests use, when missing (Debian/Ubuntu).
set -euo pipefail
need=()
# libxml2-utils (xmllint) and chromium: the report tests validate JUnit XML and render the HTML report.
for pkg in libcurl4-openssl-dev zlib1g-dev libxml2-utils chromium; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${need[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
