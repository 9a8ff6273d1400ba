#!/usr/bin/env bash
# Sets up a fresh machine and runs every test (unit and integration, on the embedded cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="/opt/swift/usr/bin:$PATH"
# The integration tests start the real jobmanager binary, so build the executables first.
swift build
swift test --no-parallel
