#!/usr/bin/env bash
# bench/ingest_bench.sh: the whole ingest path a user runs, beside Prometheus on the same targets.
#
#   ingest_bench.sh --build DIR --payload FILE --work DIR --targets N --interval S --seconds T
#                   [--dashboard none|24] [--rss-at "60 600 3600"] [--peer prometheus|none] [--tag NAME]
#                   [--mode gui|headless] [--side-by-side]
#
# nginx (Debian nginx-light) serves FILE — a node_exporter payload captured on loopback — at
# /t/0 … /t/N-1 on 127.0.0.1. Then, one after the other so they never share the two cores:
#   1. `pulseboard --config` on the offscreen platform (--mode headless: `pulsectl run --config`, no
#      window at all) scrapes the N targets every S seconds into its own history file for T seconds
#      (with --dashboard 24, a 24-panel dashboard is open and live);
#   2. Prometheus scrapes the same URLs at the same interval for as long.
# --side-by-side runs both at once instead, for long soaks (an hour each one after the other is two):
# at 200 targets x 1 s the two together use about a fifth of the machine, so neither waits for a core.
# CPU is utime + stime from /proc over the window after a 15 s warm-up; samples are each program's own
# counters over that window (Pulseboard: pulse_samples_received_total, read back from its history
# with pulsectl query; Prometheus: prometheus_tsdb_head_samples_appended_total). Per-thread CPU comes
# from /proc/PID/task/*/stat. Prints key=value lines prefixed with the tag (default: gui).
set -euo pipefail

build="" payload="" work="" targets=200 interval=1 seconds=60 dashboard=none peer=prometheus tag=gui mode=gui
side_by_side=0
rss_at=""
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=$2; shift ;;
        --payload) payload=$2; shift ;;
        --work) work=$2; shift ;;
        --targets) targets=$2; shift ;;
        --interval) interval=$2; shift ;;
        --seconds) seconds=$2; shift ;;
        --dashboard) dashboard=$2; shift ;;
        --rss-at) rss_at=$2; shift ;;
        --peer) peer=$2; shift ;;
        --tag) tag=$2; shift ;;
        --mode) mode=$2; shift ;;
        --side-by-side) side_by_side=1 ;;
        *) echo "ingest_bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$build" ] && [ -n "$payload" ] && [ -n "$work" ] || { echo "ingest_bench.sh: --build, --payload and --work are required" >&2; exit 2; }
case "$mode" in gui|headless) ;; *) echo "ingest_bench.sh: --mode is gui or headless, got $mode" >&2; exit 2 ;; esac
warmup=15
mkdir -p "$work"
out() { printf '%s_%s=%s\n' "$tag" "$1" "$2"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# nginx on loopback, one worker, the payload for every /t/ URL.
www="$work/www"
mkdir -p "$www" "$work/nginx"
cp "$payload" "$www/metrics.prom"
chmod -R a+rX "$work"
nginx_port=$(free_port)
cat > "$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
user $(id -un);
events { worker_connections 8192; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $www;
        location /t/ { default_type "text/plain; version=0.0.4"; try_files /metrics.prom =404; }
    }
}
EOF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/t/0" -o /dev/null && break; sleep 0.1; done
payload_samples=$(grep -vc '^#' "$payload")
out payload_samples "$payload_samples"

# watch PID SECONDS PREFIX: samples RSS at the --rss-at marks and CPU over the window after warm-up.
watch_process() {
    local pid=$1 total=$2 prefix=$3 t=0 cpu0=0 marks=" $rss_at " peak=0
    local start
    start=$(date +%s.%N)
    while [ "$t" -lt "$total" ]; do
        sleep 1
        t=$(printf '%.0f' "$(echo "$(date +%s.%N) - $start" | bc -l)")
        kill -0 "$pid" 2>/dev/null || { out "${prefix}_died_at_s" "$t"; return 1; }
        local r
        r=$(rss_mib "$pid")
        [ "$r" -gt "$peak" ] && peak=$r
        [ "$t" -ge "$warmup" ] && [ "$cpu0" = 0 ] && { cpu0=$(ticks "$pid"); date +%s > "$work/$prefix.t0"; }
        for m in $rss_at; do
            if [ "$t" -ge "$m" ] && [[ "$marks" == *" $m "* ]]; then
                out "${prefix}_rss_mib_at_${m}s" "$r"
                marks=${marks/ $m / }
            fi
        done
    done
    local cpu1
    cpu1=$(ticks "$pid")
    date +%s > "$work/$prefix.t1"
    out "${prefix}_cpu_s" "$(echo "scale=2; ($cpu1 - $cpu0) / $hz" | bc -l)"
    out "${prefix}_rss_mib_end" "$(rss_mib "$pid")"
    out "${prefix}_rss_mib_peak" "$peak"
    # Per-thread CPU over the whole run, busiest first.
    local threads=""
    for task in /proc/"$pid"/task/*; do
        local name tcpu
        name=$(tr ' ' '_' < "$task/comm")
        tcpu=$(awk '{ print $14 + $15 }' "$task/stat")
        threads+="$tcpu $name"$'\n'
    done
    out "${prefix}_threads" "$(printf '%s' "$threads" | awk -v hz="$hz" 'NF { s[$2] += $1 } END { for (n in s) printf "%.1f %s\n", s[n] / hz, n }' \
        | sort -rn | head -6 | awk '{ printf "%s%s %s s", (NR > 1 ? ", " : ""), $2, $1 }')"
    local main_ticks
    main_ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/task/$pid/stat")
    out "${prefix}_main_thread_cpu_s" "$(echo "scale=2; $main_ticks / $hz" | bc -l)"
}

# 2. Prometheus on the same URLs: start_prometheus, then watch it (watch_process), then finish_prometheus.
pr="$work/prometheus"
start_prometheus() {
    mkdir -p "$pr"
    {
        echo "global: {scrape_interval: ${interval}s, scrape_timeout: ${interval}s}"
        echo "scrape_configs:"
        echo "  - job_name: bench"
        echo "    static_configs:"
        for i in $(seq 0 $((targets - 1))); do
            echo "      - {targets: ['127.0.0.1:$nginx_port'], labels: {__metrics_path__: /t/$i, instance: t$i}}"
        done
    } > "$pr/prometheus.yml"
    prom_port=$(free_port)
    prometheus --config.file="$pr/prometheus.yml" --storage.tsdb.path="$pr/data" \
        --web.listen-address="127.0.0.1:$prom_port" --log.level=warn > "$pr/log" 2>&1 &
    prom_pid=$!
    pids+=("$prom_pid")
    # The samples counter is read at the window's edges: a background sampler at warm-up.
    ( sleep "$warmup"; prom_sum '^prometheus_tsdb_head_samples_appended_total' > "$pr/samples0" ) &
}
prom_sum() { curl -sf "http://127.0.0.1:$prom_port/metrics" | awk -v re="$1" '$0 ~ re { s += $NF } END { printf "%.0f", s }'; }
finish_prometheus() {
    local s1
    s1=$(cat "$pr/samples1" 2>/dev/null || prom_sum '^prometheus_tsdb_head_samples_appended_total')
    out prometheus_samples "$((s1 - $(cat "$pr/samples0")))"
    kill "$prom_pid" 2>/dev/null || true
    wait "$prom_pid" 2>/dev/null || true
    out prometheus_data_mib "$(du -sm "$pr/data" | cut -f1)"
}

# 1. Pulseboard.
pb="$work/pulseboard"
mkdir -p "$pb/config" "$pb/data"
rm -f "$pb"/history.db* # every run starts from an empty history, also when --work is reused
{
    echo "storage:"
    echo "  path: $pb/history.db"
    echo "targets:"
    for i in $(seq 0 $((targets - 1))); do
        echo "  - {name: t$i, kind: prometheus, url: 'http://127.0.0.1:$nginx_port/t/$i', interval: ${interval}s}"
    done
    if [ "$dashboard" = 24 ]; then
        echo "dashboards:"
        echo "  - name: Fleet"
        echo "    panels:"
        exprs=('sum(rate(node_cpu_seconds_total{mode!="idle"}[1m]))' 'avg(node_load1)' 'sum(node_memory_MemAvailable_bytes)'
            'sum by (device) (rate(node_network_receive_bytes_total[1m]))' 'count(up == 1)' 'sum(scrape_duration_seconds)'
            'max(node_filesystem_avail_bytes)' 'sum(rate(node_context_switches_total[1m]))')
        for p in $(seq 0 23); do
            e=${exprs[$((p % 8))]}
            echo "      - {title: 'Panel $p', expr: '${e//\'/\'\'}'}"
        done
    fi
} > "$pb/config/pulseboard.yaml"
export XDG_CONFIG_HOME="$pb/config" XDG_DATA_HOME="$pb/data"
if [ "$mode" = headless ]; then
    "$build/app/pulsectl" run --config "$pb/config/pulseboard.yaml" > "$pb/stdout.log" 2> "$pb/stderr.log" &
else
    QT_QPA_PLATFORM=offscreen "$build/app/pulseboard" --config "$pb/config/pulseboard.yaml" > "$pb/stdout.log" 2> "$pb/stderr.log" &
fi
pb_pid=$!
pids+=("$pb_pid")
if [ "$peer" = prometheus ] && [ "$side_by_side" = 1 ]; then
    start_prometheus
    # The samples counter is read as the watch ends, so samples and CPU cover the same window.
    { watch_process "$prom_pid" "$seconds" prometheus || true
      prom_sum '^prometheus_tsdb_head_samples_appended_total' > "$pr/samples1"; } > "$pr.watch" &
    pids+=($!)
fi
watch_process "$pb_pid" "$seconds" pulseboard || true
t0=$(cat "$work/pulseboard.t0" 2>/dev/null || echo 0) t1=$(cat "$work/pulseboard.t1" 2>/dev/null || echo 0)
# self VALUE_EXPR TIME: one of Pulseboard's self-metrics at TIME, read back from its history.
self() {
    "$build/app/pulsectl" query --db "$pb/history.db" --time "$2" "$1" 2>/dev/null \
        | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "nan")' 2>/dev/null || echo nan
}
kill -TERM "$pb_pid" 2>/dev/null || true
for _ in $(seq 100); do kill -0 "$pb_pid" 2>/dev/null || break; sleep 0.1; done
kill -9 "$pb_pid" 2>/dev/null || true
wait "$pb_pid" 2>/dev/null || true
recv0=$(self 'pulse_samples_received_total{job="pulseboard"}' "$t0")
recv1=$(self 'pulse_samples_received_total{job="pulseboard"}' "$t1")
out pulseboard_samples "$(python3 -c "print(int(float('$recv1') - float('$recv0')))" 2>/dev/null || echo nan)"
for m in writer_committed_samples_total writer_dropped_samples_total samples_dropped_no_history_total; do
    out "pulseboard_${m}" "$(self "pulse_${m}{job=\"pulseboard\"}" "$t1")"
done
out pulseboard_writer_lag_s_max "$(self "max_over_time(pulse_writer_lag_seconds{job=\"pulseboard\"}[$((t1 - t0))s])" "$t1")"
out pulseboard_gui_loop_lag_ms_max "$(self "1000 * max_over_time(pulse_gui_event_loop_lag_seconds{job=\"pulseboard\"}[$((t1 - t0))s])" "$t1")"
out pulseboard_history_mib "$(du -sm "$pb" | cut -f1)"
[ -s "$pb/stderr.log" ] && out pulseboard_stderr_lines "$(wc -l < "$pb/stderr.log")"

if [ "$peer" = prometheus ]; then
    if [ "$side_by_side" = 1 ]; then
        wait "${pids[-1]}" 2>/dev/null || true
        cat "$pr.watch"
    else
        start_prometheus
        watch_process "$prom_pid" "$seconds" prometheus || true
        prom_sum '^prometheus_tsdb_head_samples_appended_total' > "$pr/samples1" || true
    fi
    finish_prometheus
    out side_by_side "$side_by_side"
fi
