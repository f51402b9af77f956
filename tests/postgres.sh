#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests: its own cluster in a directory of its own, on a free loopback port.
#
#   tests/postgres.sh start <dir> [name=value ...]
#                                           init and start a cluster in <dir>; prints postgresql://routing@127.0.0.1:<port>/routing
#                                           and writes the Npgsql connection string to <dir>/connection-string. Each
#                                           name=value replaces a server setting of the defaults below or adds one
#                                           (max_connections=20; fsync=on synchronous_commit=on full_page_writes=on)
#   tests/postgres.sh createdb <dir> <name> create an empty database <name> owned by `routing`; prints its Npgsql connection string
#   tests/postgres.sh pause <dir>           stop the server, keeping its data (an outage, for tests that need one)
#   tests/postgres.sh resume <dir>          start it again on the same port
#   tests/postgres.sh stop <dir>            stop the cluster (fast shutdown) and remove <dir>
#
# Nothing needs to be running beforehand: on a fresh Debian machine `start` installs PostgreSQL with apt when no
# initdb is found. The server listens on 127.0.0.1 only, with its unix socket inside <dir>, so it never collides with
# a system cluster or with another test run's server; authentication is `trust`, which is why it must stay on loopback.
set -euo pipefail

readonly role=routing
readonly database=routing

usage() {
    echo "usage: $0 start <dir> [name=value ...] | stop <dir> | createdb <dir> <name> | pause <dir> | resume <dir>" >&2
    exit 2
}

log() { echo "postgres.sh: $*" >&2; }

# Debian keeps the server binaries off PATH, under /usr/lib/postgresql/<major>/bin; the newest major wins.
find_bindir() {
    local initdb
    initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$initdb" ]] && command -v initdb >/dev/null 2>&1; then
        initdb=$(command -v initdb)
    fi
    [[ -n "$initdb" ]] && dirname "$initdb"
}

install_postgresql() {
    log "PostgreSQL server binaries not found; installing the postgresql package"
    local -a elevate=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { log "not root and no sudo: install the postgresql package first"; exit 1; }
        elevate=(sudo)
    fi
    "${elevate[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2
    "${elevate[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
}

# PostgreSQL refuses to run as root, so as root every server-side command runs as the `postgres` system user.
as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        ss -Htan "sport = :$port" 2>/dev/null | grep -q .
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

random_free_port() {
    local port
    for _ in $(seq 1 200); do
        # Below the kernel's ephemeral range (32768 and up here), so no outgoing connection takes it while a paused
        # server is down, and above the well-known services.
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    log "no free port found"
    exit 1
}

admin_psql() {
    local port=$1
    shift
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"
}

connection_string() {
    echo "Host=127.0.0.1;Port=$1;Username=$role;Database=$2"
}

read_port() {
    local dir=$1
    [[ -f "$dir/port" ]] || { log "no server was started in $dir"; exit 1; }
    cat "$dir/port"
}

# The server's settings: the defaults, each replaced by a given name=value of the same name, then the other given ones.
server_settings() {
    local port=$1 dir=$2
    shift 2
    local line setting replaced
    while IFS= read -r line; do
        replaced=""
        for setting in "$@"; do
            [[ "${setting%%=*}" == "${line%% = *}" ]] && replaced=1
        done
        [[ -n "$replaced" ]] || echo "$line"
    done <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF
    for setting in "$@"; do
        echo "${setting%%=*} = ${setting#*=}"
    done
}

start() {
    local dir=$1
    shift
    local setting
    for setting in "$@"; do
        [[ "$setting" =~ ^[a-z_]+=[A-Za-z0-9_.]+$ ]] || { log "a server setting is name=value, not '$setting'"; exit 2; }
    done
    bindir=$(find_bindir || true)
    if [[ -z "$bindir" ]]; then
        install_postgresql
        bindir=$(find_bindir || true)
        [[ -n "$bindir" ]] || { log "initdb still not found after installing postgresql"; exit 1; }
    fi

    if [[ -e "$dir" ]] && [[ -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
        log "$dir exists and is not empty; refusing to reuse it"
        exit 1
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || { log "no postgres system user to run the server as"; exit 1; }
        chown postgres:postgres "$dir"
        # The server user must be able to reach <dir> through every parent directory.
        runuser -u postgres -- test -w "$dir" || { log "user postgres cannot write $dir (check its parents' permissions)"; exit 1; }
    fi

    local data="$dir/data"
    as_server_user "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }

    # Only loopback TCP and this cluster's own socket; no IPv6, no other addresses.
    as_server_user tee "$data/pg_hba.conf" >/dev/null <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF

    local port attempt
    for attempt in 1 2 3 4 5; do
        port=$(random_free_port)
        # Durability is pointless for a server that is deleted after the run; the defaults make tests faster.
        server_settings "$port" "$dir" "$@" | as_server_user tee "$data/postgresql.auto.conf" >/dev/null
        if as_server_user "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
            break
        fi
        # Another process may have taken the port between the check and the bind: try another one.
        log "start on port $port failed (attempt $attempt):"
        tail -n 5 "$dir/server.log" >&2 || true
        port=""
    done
    [[ -n "$port" ]] || { log "could not start PostgreSQL"; exit 1; }

    echo "$port" >"$dir/port"
    admin_psql "$port" -d postgres -c "CREATE ROLE $role LOGIN CREATEDB" -c "CREATE DATABASE $database OWNER $role"
    connection_string "$port" "$database" >"$dir/connection-string"
    echo "postgresql://$role@127.0.0.1:$port/$database"
}

create_database() {
    local dir=$1 name=$2
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { log "database name must match [a-z_][a-z0-9_]*"; exit 1; }
    bindir=$(find_bindir || true)
    local port
    port=$(read_port "$dir")
    admin_psql "$port" -d postgres -c "CREATE DATABASE $name OWNER $role"
    connection_string "$port" "$name"
}

pause() {
    local dir=$1
    bindir=$(find_bindir || true)
    read_port "$dir" >/dev/null
    # Fast shutdown: every client connection is cut at once, as when the database host goes away.
    as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
}

resume() {
    local dir=$1
    bindir=$(find_bindir || true)
    read_port "$dir" >/dev/null
    as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
        || { log "resume failed:"; tail -n 20 "$dir/server.log" >&2; exit 1; }
}

stop() {
    local dir=$1
    [[ -e "$dir" ]] || return 0
    bindir=$(find_bindir || true)
    if [[ -f "$dir/data/postmaster.pid" ]] && [[ -n "$bindir" ]]; then
        as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || log "pg_ctl stop failed; removing $dir anyway"
    fi
    rm -rf "$dir"
}

[[ $# -ge 2 ]] || usage
command=$1
case "$command" in
    start) shift; start "$@" ;;
    stop) [[ $# -eq 2 ]] || usage; stop "$2" ;;
    createdb) [[ $# -eq 3 ]] || usage; create_database "$2" "$3" ;;
    pause) [[ $# -eq 2 ]] || usage; pause "$2" ;;
    resume) [[ $# -eq 2 ]] || usage; resume "$2" ;;
    *) usage ;;
esac
