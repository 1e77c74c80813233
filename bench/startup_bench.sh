#!/usr/bin/env bash
# bench/startup_bench.sh: launch to the first chart with data, on a large history file.
#
#   startup_bench.sh --build DIR --payload FILE --work DIR [--targets 200] [--days D] [--runs 3]
#
# storage_bench --generate writes the history the app would have after D days of N node_exporter
# targets (the captured payload's series) at 15 s, ending now. Then `pulseboard --config` (offscreen)
# is launched on it R times with a one-panel dashboard over all targets (shown in the default live range, the last 5 minutes) and the N
# targets configured (on a loopback port nothing listens on: a restart during an outage). Time is from
# the launch to the line pulseboard writes when the first chart with data is drawn. The first run
# follows a drop of the page cache when this user may drop it (cold), the others are warm. Prints
# key=value lines.
set -euo pipefail
build="" payload="" work="" targets=200 days=1 runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=$2; shift ;;
        --payload) payload=$2; shift ;;
        --work) work=$2; shift ;;
        --targets) targets=$2; shift ;;
        --days) days=$2; shift ;;
        --runs) runs=$2; shift ;;
        *) echo "startup_bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$build" ] && [ -n "$payload" ] && [ -n "$work" ] || { echo "startup_bench.sh: --build, --payload and --work are required" >&2; exit 2; }
mkdir -p "$work/config" "$work/data"
db="$work/history.db"
"$build/bench/storage_bench" --generate "$db" --payload "$payload" --targets "$targets" --days "$days" \
    --interval-ms 15000 | sed 's/^/startup_/'
# A long generation ends in the past: bring the data up to now, so the live range has some.
"$build/bench/storage_bench" --generate "$db" --payload "$payload" --targets "$targets" --interval-ms 15000 \
    --catch-up | sed 's/^generate_/startup_catch_up_/'
dead_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
{
    echo "storage: {path: $db}"
    echo "targets:"
    for i in $(seq 0 $((targets - 1))); do
        echo "  - {name: t$i, kind: prometheus, url: 'http://127.0.0.1:$dead_port/t/$i', interval: 15s}"
    done
    echo "dashboards:"
    echo "  - name: Fleet"
    echo "    panels:"
    echo "      - {title: Receive, expr: 'sum by (instance) (rate(node_network_receive_bytes_total[5m]))'}"
} > "$work/config/pulseboard.yaml"
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
times=()
for r in $(seq 1 "$runs"); do
    cold=warm
    if [ "$r" = 1 ] && sync && echo 3 2>/dev/null > /proc/sys/vm/drop_caches; then cold=cold; fi
    t0=$(date +%s%3N)
    QT_QPA_PLATFORM=offscreen "$build/app/pulseboard" --config "$work/config/pulseboard.yaml" \
        > "$work/stdout.log" 2> "$work/stderr.log" &
    pid=$!
    drawn=""
    for _ in $(seq 600); do
        drawn=$(sed -n 's/.*first chart drawn at epoch_ms=\([0-9]*\).*/\1/p' "$work/stderr.log" | head -1)
        [ -n "$drawn" ] && break
        sleep 0.05
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ -z "$drawn" ]; then
        echo "startup_run${r}_${cold}_ms=none"
        continue
    fi
    echo "startup_run${r}_${cold}_ms=$((drawn - t0))"
    times+=($((drawn - t0)))
done
[ ${#times[@]} -gt 0 ] && echo "startup_best_ms=$(printf '%s\n' "${times[@]}" | sort -n | head -1)"
echo "startup_file_gib=$(echo "scale=2; $(stat -c %s "$db") / 1073741824" | bc -l)"
