#!/usr/bin/env bash
# Installs the system libraries the engine links against, and headless Chromium with its driver
# and Selenium for the console's browser test (Debian/Ubuntu).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  librdkafka-dev librocksdb-dev liblz4-dev libssl-dev openssl pkg-config \
  chromium chromium-driver python3-selenium >/dev/null
