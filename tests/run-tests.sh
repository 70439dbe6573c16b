#!/usr/bin/env bash
# run-tests.sh runs every test of the module — unit tests, fuzz seed corpora
# and the integration tests on the real components of the test bed — and
# prints gotestsum's summary. Extra arguments go to `go test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CAIRN_TOOLS_BIN="$root/.tools/bin"
export PATH="$CAIRN_TOOLS_BIN:$PATH"
rm -rf "$root/.tools/results"
# Warm the build cache for the binaries that tests build in subprocesses (the
# node images and the dump test's cairn, the dev stack's), with the same
# flags, so that on a cold machine no test spends its readiness budget
# compiling them while every other package compiles too.
prebuilt=$(mktemp -d)
trap 'rm -rf "$prebuilt"' EXIT
CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags "-s -w" -tags nodev -o "$prebuilt/" ./starter/cmd/cairn
CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags "-s -w" -o "$prebuilt/" ./tests/images/pause
go build -o "$prebuilt/" ./starter/cmd/cairn ./tests/cmd/testbed
"$CAIRN_TOOLS_BIN/gotestsum" --format pkgname-and-test-fails --format-hide-empty-pkg \
  --jsonfile "$root/.tools/last-test.json" -- -count=1 -timeout 40m "$@" ./...
# Figures the tests measured (for example the pod volume resume test's).
if compgen -G "$root/.tools/results/*.txt" >/dev/null; then
  echo "Measured:"
  cat "$root"/.tools/results/*.txt
fi
