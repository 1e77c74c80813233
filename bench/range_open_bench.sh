#!/usr/bin/env bash
# bench/range_open_bench.sh: opening a dashboard on the last 30 days — launch to the first chart with data.
#
#   range_open_bench.sh --build DIR --work DIR [--targets 200] [--days 30] [--range 30d] [--runs 3]
#
# storage_bench --generate writes D days of N targets' `up` and one node_exporter-like byte counter
# (instance t0..tN-1) at 15 s, ending now. Then `pulseboard --config --range SPAN` (offscreen) opens a
# dashboard of those two over all targets — `up`, and `sum by (instance) (rate(...[5m]))` — and two
# times are taken from the launch: to the line pulseboard writes once the first chart with data is
# drawn, and to the one once every chart of the dashboard is. The first run follows a drop of the page
# cache when this user may drop it (cold), the others are warm.
# Prints key=value lines prefixed with range_.
set -euo pipefail
build="" work="" targets=200 days=30 range=30d runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=$2; shift ;;
        --work) work=$2; shift ;;
        --targets) targets=$2; shift ;;
        --days) days=$2; shift ;;
        --range) range=$2; shift ;;
        --runs) runs=$2; shift ;;
        *) echo "range_open_bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$build" ] && [ -n "$work" ] || { echo "range_open_bench.sh: --build and --work are required" >&2; exit 2; }
mkdir -p "$work/config" "$work/data"
db="$work/history.db"
payload="$work/payload.prom"
cat > "$payload" <<'PROM'
# HELP up 1 if the target answered its last scrape.
# TYPE up gauge
up 1
# HELP node_network_receive_bytes_total Network device statistic receive_bytes.
# TYPE node_network_receive_bytes_total counter
node_network_receive_bytes_total{device="eth0"} 1.234567e+09
PROM
"$build/bench/storage_bench" --generate "$db" --payload "$payload" --targets "$targets" --days "$days" \
    --interval-ms 15000 | sed 's/^/range_/'
{
    echo "storage: {path: $db}"
    echo "dashboards:"
    echo "  - name: Month"
    echo "    panels:"
    echo "      - {title: Up, expr: 'up'}"
    echo "      - {title: Receive, expr: 'sum by (instance) (rate(node_network_receive_bytes_total[5m]))', unit: bytes}"
} > "$work/config/pulseboard.yaml"
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
times=()
for r in $(seq 1 "$runs"); do
    cold=warm
    if [ "$r" = 1 ] && sync && echo 3 2>/dev/null > /proc/sys/vm/drop_caches; then cold=cold; fi
    t0=$(date +%s%3N)
    QT_QPA_PLATFORM=offscreen "$build/app/pulseboard" --config "$work/config/pulseboard.yaml" --range "$range" \
        > "$work/stdout.log" 2> "$work/stderr.log" &
    pid=$!
    first="" every=""
    for _ in $(seq 600); do
        first=$(sed -n 's/.*first chart drawn at epoch_ms=\([0-9]*\).*/\1/p' "$work/stderr.log" | head -1)
        every=$(sed -n 's/.*every chart drawn at epoch_ms=\([0-9]*\).*/\1/p' "$work/stderr.log" | head -1)
        [ -n "$every" ] && break
        sleep 0.05
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "range_run${r}_${cold}_first_ms=${first:+$((first - t0))}"
    echo "range_run${r}_${cold}_every_ms=${every:+$((every - t0))}"
done
echo "range_file_gib=$(echo "scale=2; $(stat -c %s "$db") / 1073741824" | bc -l)"
