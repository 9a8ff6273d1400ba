#!/usr/bin/env bash
# Sets up a fresh machine and runs both BSS jobs on the embedded cluster over generated events,
# printing their output and checking it against docs/bss-jobs.md.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product bss-events
.build/release/bss-events demo --file jobs.yaml "$@"
