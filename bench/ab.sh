#!/usr/bin/env bash
# A/B: an earlier build of gongkai against this one, run in turn on the same corpus (fresh output folders), to
# measure what a change costs. Prints one line per run and the medians; nothing here is a test.
#
#   cargo build --release && cp target/release/gongkai /tmp/gongkai-before   # on the earlier commit
#   cargo build --release                                                      # on this one
#   bash bench/ab.sh /tmp/gongkai-before [ROUNDS] [N]
#
# N: reports per format of the corpus bench/run.sh makes (default 2000, cached under $TMPDIR/gongkai-bench). For a
# count that noise does not move, run callgrind on 200 of its workbooks with each build:
#   valgrind --tool=callgrind target/release/gongkai check -j 1 --output-format concise DIR_OF_200 >/dev/null
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:?the earlier build}
ROUNDS=${2:-5}
N=${3:-2000}
B=target/release/gongkai
C=${TMPDIR:-/tmp}/gongkai-bench/corpus-$N
[ -d "$C" ] || { echo "no corpus at $C: run bash bench/run.sh $N first" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
n=0
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
for _ in $(seq "$ROUNDS"); do
  for who in A B; do
    bin=${!who}
    for fmt in docx xlsx; do
      echo "$who check $fmt $(t "$bin" check -j 1 --output-format concise "$C/$fmt")"
      n=$((n + 1))
      echo "$who batch-none $fmt $(t "$bin" batch -j 1 --to none -o "$OUT/$n" "$C/$fmt")"
    done
  done
done | tee "$OUT/runs"
python3 - "$OUT/runs" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    who, cmd, fmt, secs = line.split()
    runs[(cmd, fmt, who)].append(float(secs))
for cmd, fmt in sorted({(c, f) for c, f, _ in runs}):
    a, b = (statistics.median(runs[(cmd, fmt, w)]) for w in "AB")
    print(f"{cmd:10} {fmt:4}  before {a:.3f} s  after {b:.3f} s  ({(b / a - 1) * 100:+.1f}%)")
PY
