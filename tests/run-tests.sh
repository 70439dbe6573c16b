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
go build -o "$prebuilt/" ./tests/cmd/crashed
status=0
"$CAIRN_TOOLS_BIN/gotestsum" --format pkgname-and-test-fails --format-hide-empty-pkg \
  --jsonfile "$root/.tools/last-test.json" -- -count=1 -timeout 40m "$@" ./... || status=$?
# A package whose test binary ended mid-test without a word (no failure, no
# panic: killed from outside) runs once more, when nothing else failed; it
# is named here, and the run fails if it fails again.
if [ "$status" -ne 0 ]; then
  verdicts=$("$prebuilt/crashed" "$root/.tools/last-test.json")
  crashed=$(sed -n 's/^crashed //p' <<<"$verdicts")
  if [ -n "$crashed" ] && ! grep -q '^failed ' <<<"$verdicts"; then
    echo "Running again, once: the test binary of $(echo $crashed) ended mid-test with no output (killed from outside)"
    status=0
    # shellcheck disable=SC2086 # one argument per package
    "$CAIRN_TOOLS_BIN/gotestsum" --format pkgname-and-test-fails --format-hide-empty-pkg \
      --jsonfile "$root/.tools/last-test-again.json" -- -count=1 -timeout 40m "$@" $crashed || status=$?
  fi
fi
# Figures the tests measured (for example the pod volume resume test's).
if compgen -G "$root/.tools/results/*.txt" >/dev/null; then
  echo "Measured:"
  cat "$root"/.tools/results/*.txt
fi
exit "$status"
