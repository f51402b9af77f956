#!/usr/bin/env bash
# A throwaway PostgreSQL for the durable BENCHMARK: tests/postgres.sh's server (its own cluster on a free loopback
# port), but with durability on (fsync, synchronous_commit and full_page_writes, PostgreSQL's defaults). The test
# server turns them off for speed; a benchmark of commits must pay for them, as production does.
#
#   load-tests/postgres-durable.sh start <dir>   prints postgresql://routing@127.0.0.1:<port>/routing and writes the
#                                                Npgsql connection string to <dir>/connection-string
#   load-tests/postgres-durable.sh stop <dir>    stops it and removes <dir>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
test_server="$here/../tests/postgres.sh"

[[ $# -eq 2 ]] || { echo "usage: $0 start <dir> | stop <dir>" >&2; exit 2; }
command=$1 dir=$2
case "$command" in
    start)
        url=$("$test_server" start "$dir")
        conf="$dir/data/postgresql.auto.conf"
        # Back to PostgreSQL's durable defaults, then restart so they hold for every connection.
        sed -i -e 's/^fsync = off$/fsync = on/' -e 's/^synchronous_commit = off$/synchronous_commit = on/' \
            -e 's/^full_page_writes = off$/full_page_writes = on/' "$conf"
        grep -q '^fsync = on$' "$conf" && grep -q '^synchronous_commit = on$' "$conf" \
            || { echo "postgres-durable.sh: could not turn durability on in $conf" >&2; exit 1; }
        "$test_server" pause "$dir"
        "$test_server" resume "$dir"
        echo "$url"
        ;;
    stop)
        "$test_server" stop "$dir"
        ;;
    *)
        echo "usage: $0 start <dir> | stop <dir>" >&2
        exit 2
        ;;
esac
