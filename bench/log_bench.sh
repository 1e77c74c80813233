#!/usr/bin/env bash
# bench/log_bench.sh: parse and count a large access log and a large JSON-lines log, whole process,
# beside lnav and grep on the same bytes in the same run.
#
#   log_bench.sh --build DIR --work DIR [--mb 200] [--runs 3]
#
# bench/log_gen writes the demo service's logs (DemoLogWriter: nginx "combined" and JSON lines, from
# the traffic model's requests) to about MB megabytes each. Then, one after the other, each RUNS
# times (the median is printed):
#   pulsectl parse-log --format nginx_combined --count  vs  lnav -n -c ';SELECT sc_status, count(*)
#   FROM access_log GROUP BY sc_status'  vs  grep -c ' 200 '
#   pulsectl parse-log --format json_lines --count      vs  lnav -n -c ';SELECT status, count(*) FROM
#   pulse_json GROUP BY status' (lnav has no built-in format for these lines: bench/lnav_pulse_json.json
#   describes them, installed under lnav's HOME)  vs  grep -c '"level"'
# Wall seconds and peak RSS from /usr/bin/time. Prints key=value lines.
set -euo pipefail
build="" work="" mb=200 runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=$2; shift ;;
        --work) work=$2; shift ;;
        --mb) mb=$2; shift ;;
        --runs) runs=$2; shift ;;
        *) echo "log_bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$build" ] && [ -n "$work" ] || { echo "usage: log_bench.sh --build DIR --work DIR [--mb 200] [--runs 3]" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../scripts/setup.sh"
pulse_install_packages lnav time
mkdir -p "$work"
"$build/bench/log_gen" --access "$work/access.log" --app "$work/app.jsonl" --mb "$mb" > "$work/gen.txt"
cat "$work/gen.txt"
export HOME="$work/home" # lnav keeps its config and index under $HOME: a fresh one each run
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# measure NAME CMD...: wall seconds and peak RSS (KiB), median of RUNS
measure() {
    local name=$1
    shift
    : > "$work/$name.times"
    for _ in $(seq "$runs"); do
        rm -rf "$HOME" && mkdir -p "$HOME/.lnav/formats/installed"
        cp "$here/lnav_pulse_json.json" "$HOME/.lnav/formats/installed/pulse_json.json"
        /usr/bin/time -f '%e %M' -o "$work/$name.one" "$@" > "$work/$name.out" 2> "$work/$name.err" || true
        cat "$work/$name.one" >> "$work/$name.times"
    done
    echo "${name}_seconds=$(cut -d' ' -f1 "$work/$name.times" | median)"
    echo "${name}_rss_kib=$(cut -d' ' -f2 "$work/$name.times" | median)"
    echo "${name}_first_line=$(head -1 "$work/$name.out")"
}
measure pulsectl_nginx "$build/app/pulsectl" parse-log --format nginx_combined --count "$work/access.log"
measure lnav_nginx lnav -n -c ';SELECT sc_status, count(*) FROM access_log GROUP BY sc_status' "$work/access.log"
measure grep_nginx grep -c ' 200 ' "$work/access.log"
measure pulsectl_json "$build/app/pulsectl" parse-log --format json_lines --count "$work/app.jsonl"
measure lnav_json lnav -n -c ';SELECT status, count(*) FROM pulse_json GROUP BY status' "$work/app.jsonl"
measure grep_json grep -c '"level"' "$work/app.jsonl"
echo "access_mb=$(echo "$(stat -c %s "$work/access.log") / 1000000" | bc -l | cut -c1-6)"
echo "app_mb=$(echo "$(stat -c %s "$work/app.jsonl") / 1000000" | bc -l | cut -c1-6)"
