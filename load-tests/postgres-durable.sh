#!/usr/bin/env bash
# A throwaway PostgreSQL for the durable BENCHMARK: tests/postgres.sh's server (its own cluster on a free loopback
# port), but with durability on (fsync, synchronous_commit and full_page_writes, PostgreSQL's defaults). The test
# server turns them off for speed; a benchmark of commits must pay for them, as production does. The load program
# starts the same server itself (--durable); this script is for runs by hand.
#
#   load-tests/postgres-durable.sh start <dir>   prints postgresql://routing@127.0.0.1:<port>/routing and writes the
#                                                Npgsql connection string to <dir>/connection-string
#   load-tests/postgres-durable.sh stop <dir>    stops it and removes <dir>
set -euo pipefail
test_server="$(cd "$(dirname "$0")" && pwd)/../tests/postgres.sh"

[[ $# -eq 2 ]] || { echo "usage: $0 start <dir> | stop <dir>" >&2; exit 2; }
case "$1" in
    start) exec "$test_server" start "$2" fsync=on synchronous_commit=on full_page_writes=on ;;
    stop) exec "$test_server" stop "$2" ;;
    *) echo "usage: $0 start <dir> | stop <dir>" >&2; exit 2 ;;
esac
