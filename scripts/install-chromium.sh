#!/usr/bin/env bash
# Headless Chromium for the dashboard tests (tests/dashboard): Debian's `chromium` package, installed only
# when it is missing. Idempotent; needs root and apt-get.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: /usr/bin/chromium is missing; install Debian's chromium package as root" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q chromium
/usr/bin/chromium --version
