#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: unit and integration (on the embedded cluster),
# then the console in headless Chromium against a real cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="/opt/swift/usr/bin:$PATH"
# The integration tests start the real jobmanager binary, so build the executables first.
swift build
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift test --no-parallel 2>&1 | tee "$log"; then
  # A CI log may keep only its tail: repeat what failed, with the lines that say why, last.
  echo
  echo "=== failed (repeated from above) ==="
  grep -E -A6 "✘|error:|Fatal error" "$log" | grep -v -E "^(◇|✔)" | tail -80
  echo "last test started: $(grep -E "◇ Test " "$log" | tail -1)"
  exit 1
fi
# Debian's python3, which has python3-selenium (screenshots of a failure: .local/browser/).
echo
echo "=== console in headless Chromium ==="
/usr/bin/python3 Tests/browser/dashboard_test.py
