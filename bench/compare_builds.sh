#!/usr/bin/env bash
# bench/compare_builds.sh OLD_BUILD NEW_BUILD PAYLOAD [RUNS]: the same measurements on two Release
# builds, alternating so drift hits both alike — the check that a refactor lost no speed.
#   1. The exposition parser (bench/parse_bench) on a generated 64 MiB exposition and on PAYLOAD (a
#      node_exporter payload captured on loopback), RUNS times each (default 9): median MB/s.
#   2. The whole GUI path with the 24-panel dashboard open (bench/ingest_bench.sh: 200 nginx targets
#      serving PAYLOAD at 1 s, 90 s, offscreen), old, new, old, new: CPU in all and per thread.
# Prints key=value lines; bench/RESULTS.md's "Before and after" section quotes them.
set -euo pipefail
old=$1 new=$2 payload=$3 runs=${4:-9}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here="$(cd "$(dirname "$0")" && pwd)"
"$new/bench/parse_bench" --bytes $((64 << 20)) --write "$work/gen.prom" >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for input in gen node; do
    file="$work/gen.prom"
    [ "$input" = node ] && file="$payload"
    for build in old new; do : > "$work/$input.$build"; done
    for _ in $(seq "$runs"); do
        for build in old new; do
            dir=$old
            [ "$build" = new ] && dir=$new
            "$dir/bench/parse_bench" --input "$file" | tr '\n' ' ' >> "$work/$input.$build"
            echo >> "$work/$input.$build"
        done
    done
    for build in old new; do
        for key in visitor_mb_per_s owned_mb_per_s; do
            echo "parse_${input}_${build}_${key}_median=$(grep -o "$key=[0-9.]*" "$work/$input.$build" | cut -d= -f2 | median)"
        done
    done
done
for round in 1 2; do
    for build in old new; do
        dir=$old
        [ "$build" = new ] && dir=$new
        mkdir -p "$work/dash$round$build"
        bash "$here/ingest_bench.sh" --build "$dir" --payload "$payload" --work "$work/dash$round$build" --targets 200 \
            --interval 1 --seconds 90 --dashboard 24 --peer none --tag "dash${round}_$build" 2>/dev/null |
            grep -E "_pulseboard_(cpu_s|threads|samples|gui_loop_lag_ms_max)="
    done
done
