#!/usr/bin/env bash
# Runs every test of the solution: routing-core unit and property tests, grain tests on a TestCluster, storage tests
# and end-to-end tests through a real gRPC client against real host processes, on a real PostgreSQL.
#
# A throwaway PostgreSQL server is started first (installed with apt if the machine lacks it) and stopped at the end;
# tests that stop and start a database (restart, cluster, outage) start servers of their own the same way.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${CONFIGURATION:-Release}"
postgres_dir="$(mktemp -d -t omnichannel-test-pg.XXXXXX)"
rmdir "$postgres_dir"
trap 'tests/postgres.sh stop "$postgres_dir" || true' EXIT

tests/postgres.sh start "$postgres_dir" >/dev/null
export OMNICHANNEL_TEST_POSTGRES="$(cat "$postgres_dir/connection-string")"

dotnet build Omnichannel.Routing.sln -c "$configuration" -warnaserror
dotnet test Omnichannel.Routing.sln -c "$configuration" --no-build --logger "console;verbosity=normal" "$@"
