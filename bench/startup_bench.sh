#!/usr/bin/env bash
# bench/startup_bench.sh: launch to the first chart with data, and to every chart, on a large history.
#
#   startup_bench.sh --build DIR --work DIR [--scenario live|month] [--payload FILE] [--targets 200]
#                    [--days D] [--runs 3]
#
# --scenario live (default; needs --payload): storage_bench --generate writes the history the app
#   would have after D days (default 1) of N node_exporter targets (the captured payload's series) at
#   15 s, ending now; `pulseboard --config` opens a one-panel dashboard over all targets in the default
#   live range (the last 5 minutes), with the N targets configured (on a loopback port nothing listens
#   on: a restart during an outage). Prints startup_… lines.
# --scenario month: D days (default 30) of N targets' `up` and one byte counter at 15 s, ending now;
#   `pulseboard --config --range 30d` opens a dashboard of `up` and `sum by (instance) (rate(…[5m]))`.
#   Prints range_… lines.
# Times are from the launch to the lines pulseboard writes once the first chart with data is drawn
# (…_first_ms) and once every chart of the dashboard is (…_every_ms; empty when it did not come within
# 30 s). The first run follows a drop of the page cache when this user may drop it (cold), the others
# are warm.
set -euo pipefail
build="" payload="" work="" targets=200 days="" runs=3 scenario=live
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=$2; shift ;;
        --payload) payload=$2; shift ;;
        --work) work=$2; shift ;;
        --targets) targets=$2; shift ;;
        --days) days=$2; shift ;;
        --runs) runs=$2; shift ;;
        --scenario) scenario=$2; shift ;;
        *) echo "startup_bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$build" ] && [ -n "$work" ] || { echo "startup_bench.sh: --build and --work are required" >&2; exit 2; }
mkdir -p "$work/config" "$work/data"
db="$work/history.db"
config="$work/config/pulseboard.yaml"
case "$scenario" in
live)
    [ -n "$payload" ] || { echo "startup_bench.sh: --scenario live needs --payload" >&2; exit 2; }
    prefix=startup range_args=()
    "$build/bench/storage_bench" --generate "$db" --payload "$payload" --targets "$targets" --days "${days:-1}" \
        --interval-ms 15000 | sed "s/^/${prefix}_/"
    # A long generation ends in the past: bring the data up to now, so the live range has some.
    "$build/bench/storage_bench" --generate "$db" --payload "$payload" --targets "$targets" --interval-ms 15000 \
        --catch-up | sed "s/^generate_/${prefix}_catch_up_/"
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
    } > "$config"
    ;;
month)
    prefix=range range_args=(--range 30d)
    payload="$work/payload.prom"
    cat > "$payload" <<'PROM'
# HELP up 1 if the target answered its last scrape.
# TYPE up gauge
up 1
# HELP node_network_receive_bytes_total Network device statistic receive_bytes.
# TYPE node_network_receive_bytes_total counter
node_network_receive_bytes_total{device="eth0"} 1.234567e+09
PROM
    "$build/bench/storage_bench" --generate "$db" --payload "$payload" --targets "$targets" --days "${days:-30}" \
        --interval-ms 15000 | sed "s/^/${prefix}_/"
    {
        echo "storage: {path: $db}"
        echo "dashboards:"
        echo "  - name: Month"
        echo "    panels:"
        echo "      - {title: Up, expr: 'up'}"
        echo "      - {title: Receive, expr: 'sum by (instance) (rate(node_network_receive_bytes_total[5m]))', unit: bytes}"
    } > "$config"
    ;;
*) echo "startup_bench.sh: --scenario is live or month, got $scenario" >&2; exit 2 ;;
esac
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
firsts=()
for r in $(seq 1 "$runs"); do
    cold=warm
    if [ "$r" = 1 ] && sync && echo 3 2>/dev/null > /proc/sys/vm/drop_caches; then cold=cold; fi
    t0=$(date +%s%3N)
    QT_QPA_PLATFORM=offscreen "$build/app/pulseboard" --config "$config" ${range_args[@]+"${range_args[@]}"} \
        > "$work/stdout.log" 2> "$work/stderr.log" &
    pid=$!
    first="" every=""
    for _ in $(seq 600); do
        first=$(sed -n 's/.*first chart drawn at epoch_ms=\([0-9]*\).*/\1/p' "$work/stderr.log" | head -1)
        every=$(sed -n 's/.*every chart drawn at epoch_ms=\([0-9]*\).*/\1/p' "$work/stderr.log" | head -1)
        [ -n "$every" ] && break
        sleep 0.05
    done
    # Read once more: both lines can land between the two reads above (a one-chart dashboard writes
    # them together), which left "first" empty although the chart was drawn.
    first=$(sed -n 's/.*first chart drawn at epoch_ms=\([0-9]*\).*/\1/p' "$work/stderr.log" | head -1)
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "${prefix}_run${r}_${cold}_first_ms=${first:+$((first - t0))}"
    echo "${prefix}_run${r}_${cold}_every_ms=${every:+$((every - t0))}"
    [ -n "$first" ] && firsts+=($((first - t0)))
done
[ ${#firsts[@]} -gt 0 ] && echo "${prefix}_best_ms=$(printf '%s\n' "${firsts[@]}" | sort -n | head -1)"
echo "${prefix}_file_gib=$(echo "scale=2; $(stat -c %s "$db") / 1073741824" | bc -l)"
