#!/usr/bin/env bash
# T613's cost: `batch --to none` over a folder of reports with the comparison across agencies on, and with it off
# (`--ignore T613`), in turn; one line per run, then the medians and their ratio. Nothing here is a test.
#
#   cargo build --release
#   bash bench/similar.sh DIR [ROUNDS]
#
# DIR: 10 000 DOCX reports with text, e.g. the bench corpus copied five times, one folder per copy:
#   bash bench/run.sh 2000; for i in 1 2 3 4 5; do cp -r $TMPDIR/gongkai-bench/corpus-2000/docx D/$i; done
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:?a folder of reports}
ROUNDS=${2:-3}
B=target/release/gongkai
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
for r in $(seq "$ROUNDS"); do
  echo "on $(t "$B" batch --to none -o "$OUT/on-$r" "$DIR")"
  echo "off $(t "$B" batch --to none --ignore T613 -o "$OUT/off-$r" "$DIR")"
done | tee "$OUT/runs"
median() { grep "^$1 " "$OUT/runs" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
fastest() { grep "^$1 " "$OUT/runs" | awk '{print $2}' | sort -n | head -1; }
on=$(median on); off=$(median off)
echo "median: on ${on} s, off ${off} s, ratio $(echo "scale=2; $on / $off" | bc)"
# On a shared machine the fastest run of each is the one least disturbed by others.
on=$(fastest on); off=$(fastest off)
echo "fastest: on ${on} s, off ${off} s, ratio $(echo "scale=2; $on / $off" | bc)"
echo "pairs in similar_reports.csv: $(($(wc -l < "$OUT/on-1/similar_reports.csv") - 1))"
