#!/usr/bin/env bash
# Runs the tests of the solution.
#
#   tests/run.sh [dotnet test options]          every test (what CI runs): routing-core unit and property tests, grain
#                                               tests on a TestCluster, storage tests and end-to-end tests through a
#                                               real gRPC client against real host processes, on a real PostgreSQL
#   tests/run.sh --fast [dotnet test options]   only the test projects that need no database and no host process
#                                               (core, grains, and every other unit-test project); starts no PostgreSQL
#
# The full run starts a throwaway PostgreSQL server first (installed with apt if the machine lacks it) and stops it at
# the end, and installs Debian's chromium for the wallboard's browser tests when it is missing; tests that stop and start a database (restart, cluster, outage) start servers of their own the same way.
# A test project that needs PostgreSQL or a host process says so with <NeedsServers>true</NeedsServers> in its
# .csproj; --fast runs every tests/*.Tests project that does not, so a new unit-test project is included unlisted.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${CONFIGURATION:-Release}"

if [[ "${1:-}" == "--fast" ]]; then
    shift
    mapfile -t projects < <(grep -L '<NeedsServers>true</NeedsServers>' tests/*/*.Tests.csproj)
    [[ ${#projects[@]} -gt 0 ]] || { echo "run.sh: no test project without servers found" >&2; exit 1; }
    status=0
    for project in "${projects[@]}"; do
        dotnet build "$project" -c "$configuration" -warnaserror
        dotnet test "$project" -c "$configuration" --no-build --logger "console;verbosity=normal" "$@" || status=1
    done
    exit "$status"
fi

postgres_dir="$(mktemp -d -t omnichannel-test-pg.XXXXXX)"
rmdir "$postgres_dir"
trap 'tests/postgres.sh stop "$postgres_dir" || true' EXIT

tests/postgres.sh start "$postgres_dir" >/dev/null
export OMNICHANNEL_TEST_POSTGRES="$(cat "$postgres_dir/connection-string")"
# The wallboard's browser tests drive Debian's chromium, installed here when missing.
OMNICHANNEL_TEST_CHROMIUM="$(tests/chromium.sh)"
export OMNICHANNEL_TEST_CHROMIUM

dotnet build Omnichannel.Routing.sln -c "$configuration" -warnaserror
# One test project at a time (-m:1): the end-to-end, cluster and deploy projects each start hosts and databases of
# their own, and two of them at once on a two-core machine starve each other's clusters into timeouts.
# The output is kept so that a failure is summed up at the very end, where a CI log's tail shows it.
output="$postgres_dir.test-output"
trap 'tests/postgres.sh stop "$postgres_dir" || true; rm -f "$output"' EXIT
status=0
dotnet test Omnichannel.Routing.sln -m:1 -c "$configuration" --no-build --logger "console;verbosity=normal" "$@" 2>&1 \
    | tee "$output" || status=$?
if [[ $status -ne 0 ]]; then
    echo
    echo "==== run.sh: tests failed (exit $status); the failures, each with its message and the start of its stack ===="
    grep -E -A 12 '^[[:space:]]+Failed [A-Za-z_]' "$output" || echo "(no failed test named: a test host crashed or a build step failed; see above)"
    grep -E '^(Total tests|[[:space:]]+(Passed|Failed):|Test Run (Aborted|Failed))' "$output" || true
fi
exit "$status"
