#!/usr/bin/env bash
# A throwaway cluster on this machine: one PostgreSQL and N silos of the built host on loopback, each with its own
# free ports (gRPC, silo, gateway, metrics, web). Any silo serves any client.
#
#   deploy/local-cluster.sh up [N]    start PostgreSQL, run `migrate`, start N silos (default 3), wait until each
#                                     answers SERVING on gRPC health, print their gRPC addresses
#   deploy/local-cluster.sh status    show what runs: each silo's pid, ports and state, and the database
#   deploy/local-cluster.sh down      stop the silos (SIGTERM, then SIGKILL past the grace), stop PostgreSQL and
#                                     remove the state directory
#   deploy/local-cluster.sh restart I [--kill]
#                                     stop silo I (SIGTERM and wait, as a rolling update does; --kill: SIGKILL, as a
#                                     crash does), start it again on the same ports, wait until it is SERVING
#   deploy/local-cluster.sh roll      a rolling restart: each silo in turn, the next only once the last is SERVING
#
# Environment:
#   OMNICHANNEL_CLUSTER_DIR     state directory (default /tmp/omnichannel-local-cluster): pids, ports, logs, the database
#   CONFIGURATION               build configuration of the host and the CLI (default Release); built if missing
#   OMNICHANNEL_CLUSTER_START_TIMEOUT  seconds to wait for each silo to be SERVING (default 180)
#   OMNICHANNEL_SILO_ARGS       extra host settings for every silo, e.g. "--Orleans:Membership:ProbeTimeout=00:00:01"
#
# The database is tests/postgres.sh's throwaway server (loopback only, trust authentication): for trying the cluster
# mode and for tests, never for data that matters.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
readonly repo
readonly state="${OMNICHANNEL_CLUSTER_DIR:-/tmp/omnichannel-local-cluster}"
readonly configuration="${CONFIGURATION:-Release}"
readonly start_timeout="${OMNICHANNEL_CLUSTER_START_TIMEOUT:-180}"
readonly host_dll="$repo/src/Omnichannel.Routing.Host/bin/$configuration/net10.0/Omnichannel.Routing.Host.dll"
readonly cli_dll="$repo/src/Omnichannel.Routing.Cli/bin/$configuration/net10.0/Omnichannel.Routing.Cli.dll"
# A silo's stop is bounded by Host:ShutdownTimeout plus the host's own 10-s grace; `down` waits that long, then kills.
readonly shutdown_timeout_seconds=10

log() { echo "local-cluster: $*" >&2; }

usage() {
    echo "usage: $0 up [N] | status | down | restart I [--kill] | roll   (state in \$OMNICHANNEL_CLUSTER_DIR, default /tmp/omnichannel-local-cluster)" >&2
    exit 2
}

port_in_use() {
    ss -Htan "sport = :$1" 2>/dev/null | grep -q . || (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Below the ephemeral range (so no outgoing connection takes it meanwhile), skipping ports this run already chose.
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
        if ! port_in_use "$port" && ! grep -qx "$port" "$state/ports-taken" 2>/dev/null; then
            echo "$port" >>"$state/ports-taken"
            echo "$port"
            return 0
        fi
    done
    log "no free port found"
    return 1
}

# True if <pid> is still the silo this state directory started (a pid can be reused once the process is gone).
is_our_silo() {
    local pid=$1
    [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "Omnichannel.Routing.Host.dll.*--Orleans:ClusterId=$(cat "$state/cluster-id")"
}

# Alive and not a zombie: a silo whose parent (this script) is gone is reaped by whatever adopted it, maybe late.
is_running() {
    kill -0 "$1" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != "Z" ]]
}

ensure_built() {
    local dll=$1 project=$2
    if [[ ! -f "$dll" ]]; then
        log "building $project ($configuration)"
        dotnet build "$repo/src/$project" -c "$configuration" -warnaserror >&2
    fi
}

# Waits until the silo's gRPC health answers SERVING: first its "listening" line (printed when it starts serving,
# cheap to watch), then the health check itself through the CLI.
wait_serving() {
    local silo=$1 address=$2 pid=$3 from=${4:-0} deadline=$((SECONDS + start_timeout))
    until tail -n "+$((from + 1))" "$state/$silo/log" | grep -q "Omnichannel.Routing listening on"; do
        if ! is_running "$pid"; then
            log "$silo exited while starting:"
            tail -n 30 "$state/$silo/log" >&2
            return 1
        fi
        if ((SECONDS > deadline)); then
            log "$silo did not start within ${start_timeout}s:"
            tail -n 30 "$state/$silo/log" >&2
            return 1
        fi
        sleep 0.5
    done
    until dotnet "$cli_dll" health --address "$address" >/dev/null 2>&1; do
        if ((SECONDS > deadline)); then
            log "$silo listens but is not SERVING after ${start_timeout}s"
            return 1
        fi
        sleep 1
    done
}

port_of() {
    sed -n "s/^$2=//p" "$state/$1/ports"
}

# Starts <silo> on the ports recorded in its directory, appending to its log (a restarted silo keeps its history).
start_silo() {
    local silo=$1
    # setsid and no inherited descriptors: the silo outlives this script and holds none of its caller's pipes.
    # shellcheck disable=SC2086 # OMNICHANNEL_SILO_ARGS is a list of settings, split on purpose.
    (cd "$state/$silo" && exec setsid dotnet "$host_dll" \
        "--ConnectionStrings:Routing=$(cat "$state/pg/connection-string")" \
        "--Orleans:ClusterId=$(cat "$state/cluster-id")" \
        "--Host:Port=$(port_of "$silo" grpc)" "--Orleans:SiloPort=$(port_of "$silo" silo)" \
        "--Orleans:GatewayPort=$(port_of "$silo" gateway)" "--Host:MetricsPort=$(port_of "$silo" metrics)" \
        "--Host:WebPort=$(port_of "$silo" web)" \
        "--Host:ShutdownTimeout=00:00:$(printf '%02d' "$shutdown_timeout_seconds")" \
        "--Logging:LogLevel:Default=Warning" ${OMNICHANNEL_SILO_ARGS:-} \
        </dev/null >>"$state/$silo/log" 2>&1) &
    echo $! >"$state/$silo/pid"
}

# Stops <silo>: SIGTERM and up to the host's own bound, or SIGKILL at once with "kill".
stop_silo() {
    local silo=$1 how=$2 pid
    pid=$(cat "$state/$silo/pid")
    is_our_silo "$pid" || return 0
    if [[ "$how" == kill ]]; then
        kill -KILL "$pid" 2>/dev/null || true
    else
        kill -TERM "$pid" 2>/dev/null || true
    fi
    await_exit "$pid" $((SECONDS + shutdown_timeout_seconds + 15))
}

# Waits for <pid> to exit until <deadline> (in $SECONDS), then SIGKILLs it and waits for that.
await_exit() {
    local pid=$1 deadline=$2
    while is_running "$pid" && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if is_running "$pid"; then
        log "pid $pid did not stop in time; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        while is_running "$pid"; do sleep 0.1; done
    fi
}

restart() {
    local index=$1 how=${2:-term} silo
    silo="silo-$index"
    [[ -f "$state/$silo/ports" ]] || { log "no $silo in $state (deploy/local-cluster.sh status)"; exit 1; }
    local started=$SECONDS
    stop_silo "$silo" "$how"
    local stopped=$SECONDS
    # The line the wait looks for must be the new process's, not the old one's.
    echo "--- restarted by local-cluster.sh at $(date -u +%FT%TZ) ---" >>"$state/$silo/log"
    local from
    from=$(wc -l <"$state/$silo/log")
    start_silo "$silo"
    wait_serving "$silo" "$(cat "$state/$silo/address")" "$(cat "$state/$silo/pid")" "$from"
    log "$silo restarted ($how): stopped in $((stopped - started)) s, SERVING again $((SECONDS - stopped)) s later"
}

roll() {
    local dir
    for dir in "$state"/silo-*/; do
        restart "$(basename "$dir" | sed 's/^silo-//')" term
    done
}

up() {
    local count=${1:-3}
    [[ "$count" =~ ^[1-9][0-9]*$ ]] || usage
    if [[ -e "$state" ]]; then
        log "$state exists: a cluster is up (deploy/local-cluster.sh status), or remove it with deploy/local-cluster.sh down"
        exit 1
    fi
    ensure_built "$host_dll" Omnichannel.Routing.Host
    ensure_built "$cli_dll" Omnichannel.Routing.Cli

    mkdir -p "$state"
    # From here on, a failed start leaves nothing behind.
    trap 'log "start failed; stopping what was started"; down >/dev/null 2>&1 || true' ERR
    echo "local-$(date +%s)-$$" >"$state/cluster-id"
    "$repo/tests/postgres.sh" start "$state/pg" >/dev/null
    local postgres
    postgres=$(cat "$state/pg/connection-string")
    dotnet "$host_dll" migrate --postgres "$postgres" >"$state/migrate.log" 2>&1 || { cat "$state/migrate.log" >&2; false; }

    local i silo grpc silo_port gateway metrics web
    for i in $(seq 1 "$count"); do
        silo="silo-$i"
        grpc=$(free_port); silo_port=$(free_port); gateway=$(free_port); metrics=$(free_port); web=$(free_port)
        mkdir -p "$state/$silo"
        printf 'grpc=%s\nsilo=%s\ngateway=%s\nmetrics=%s\nweb=%s\n' "$grpc" "$silo_port" "$gateway" "$metrics" "$web" >"$state/$silo/ports"
        echo "http://127.0.0.1:$grpc" >"$state/$silo/address"
        start_silo "$silo"
    done

    for i in $(seq 1 "$count"); do
        silo="silo-$i"
        wait_serving "$silo" "$(cat "$state/$silo/address")" "$(cat "$state/$silo/pid")"
    done
    trap - ERR

    cat "$state"/silo-*/address >"$state/addresses"
    log "$count silo(s) SERVING; PostgreSQL at $(cat "$state/pg/connection-string"); state in $state"
    cat "$state/addresses"
}

status() {
    if [[ ! -d "$state" ]]; then
        echo "no local cluster ($state does not exist)"
        return 0
    fi
    local dir pid ports running=0 total=0
    for dir in "$state"/silo-*/; do
        [[ -f "$dir/pid" ]] || continue
        pid=$(cat "$dir/pid")
        ports=$(paste -sd' ' "$dir/ports")
        total=$((total + 1))
        if is_our_silo "$pid"; then
            running=$((running + 1))
            echo "$(basename "$dir")  running  pid=$pid  $(cat "$dir/address")  $ports"
        else
            echo "$(basename "$dir")  exited   pid=$pid  $(cat "$dir/address")  $ports  (log: $dir/log)"
        fi
    done
    if [[ -f "$state/pg/data/postmaster.pid" ]]; then
        echo "postgres running  $(cat "$state/pg/connection-string")"
    else
        echo "postgres not running"
    fi
    echo "$running of $total silo(s) running; state in $state"
}

down() {
    if [[ ! -d "$state" ]]; then
        log "nothing to stop ($state does not exist)"
        return 0
    fi
    local dir pid
    local -a pids=()
    for dir in "$state"/silo-*/; do
        [[ -f "$dir/pid" ]] || continue
        pid=$(cat "$dir/pid")
        if is_our_silo "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
    local deadline=$((SECONDS + shutdown_timeout_seconds + 15))
    for pid in "${pids[@]}"; do
        await_exit "$pid" "$deadline"
    done
    "$repo/tests/postgres.sh" stop "$state/pg"
    rm -rf "$state"
    log "stopped ${#pids[@]} silo(s) and PostgreSQL; removed $state"
}

[[ $# -ge 1 ]] || usage
case "$1" in
    up) [[ $# -le 2 ]] || usage; up "${2:-3}" ;;
    status) [[ $# -eq 1 ]] || usage; status ;;
    down) [[ $# -eq 1 ]] || usage; down ;;
    restart)
        [[ $# -ge 2 && $# -le 3 && "$2" =~ ^[1-9][0-9]*$ ]] || usage
        case "${3:-}" in "") restart "$2" term ;; --kill) restart "$2" kill ;; *) usage ;; esac ;;
    roll) [[ $# -eq 1 ]] || usage; roll ;;
    *) usage ;;
esac
