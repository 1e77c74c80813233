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
# Then the persisted store: bench/log_store_bench ingests the access log through a log target into a
# history file and runs the log view's searches, beside grep on the same bytes.
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
# The persisted store, on the same access log: a log target tails it from its start into a fresh
# history file (tailer, parser, logs-as-metrics, writer, block trigram index), then the log view's
# searches (newest page of 5,000). Peers on the same bytes: grep for the first 5,000 lines holding the
# word (it reads from the start, the view wants the newest), and grep -c for the substring (a scan).
# The history file lives in a directory of its own, as it does for users (~/.local/share, not
# /var/log): in the log's directory every write to it would also be an inotify event for the tailer's
# watch on that directory (measured: 103k lines/s there against 130k apart).
rm -rf "$work/db" && mkdir -p "$work/db"
/usr/bin/time -f '%e %M' -o "$work/store.one" "$build/bench/log_store_bench" --file "$work/access.log" \
    --format nginx_combined --db "$work/db/store.db" --word okhttp --word 4242 --substring 'rders/42' \
    --substring '"Gecko) Chrome/126.0 Safari"' > "$work/store.txt" 2> "$work/store.err" || true
sed 's/^/store_/' "$work/store.txt"
echo "store_rss_kib=$(cut -d' ' -f2 "$work/store.one")"
peer() {
    local name=$1
    shift
    local start end
    start=$(date +%s.%N)
    # Not to /dev/null: GNU grep then stops at the first match, as if -q were given.
    "$@" > "$work/peer.out" 2>&1 || true
    end=$(date +%s.%N)
    echo "${name}_ms=$(echo "($end - $start) * 1000" | bc -l | cut -d. -f1)"
}
peer grep_word1 grep -m 5000 -F okhttp "$work/access.log"
peer grep_word2 grep -m 5000 -F 4242 "$work/access.log"
peer grep_substring1 grep -c -F 'rders/42' "$work/access.log"
rm -rf "$work/db"
echo "access_mb=$(echo "$(stat -c %s "$work/access.log") / 1000000" | bc -l | cut -c1-6)"
echo "app_mb=$(echo "$(stat -c %s "$work/app.jsonl") / 1000000" | bc -l | cut -c1-6)"
