#!/usr/bin/env bash
# Archive benchmark: gongkai check and batch against the floor (unzip + tokenise) and the Python pipeline of
# ../shared/bench, on the same files, in the same run. Prints a markdown table; nothing here is a test.
#
#   bash bench/run.sh [N] [PY_N]
#
# N: reports per format in the corpus (default 2000, made by ../shared/bench/make_corpus.py and cached under
# $TMPDIR/gongkai-bench); PY_N: how many of them the (slow) Python pipeline reads (default 400).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
PY_N=${2:-400}
WORK=${TMPDIR:-/tmp}/gongkai-bench
SHARED=../shared/bench
CORPUS=$WORK/corpus-$N
mkdir -p "$WORK"
# Outputs of an earlier run go first, and the run waits: ext4 without a journal (this machine's) passes over inodes
# freed in the last 30 s when it creates a file, and right after thousands were deleted that costs creating files
# up to a third of a writer's time. For the same reason nothing below deletes outputs until the end.
if [ -d "$WORK/out" ]; then rm -rf "$WORK/out"; sleep 30; fi

python3 -m pip install --quiet --disable-pip-version-check python-docx openpyxl xlsxwriter python-calamine 2>&1 | grep -v "as the 'root' user" || true
if [ ! -f "$CORPUS/truth.jsonl" ]; then
  python3 "$SHARED/make_corpus.py" --n "$N" --out "$CORPUS" --jobs 2 >/dev/null
fi
cargo build --release --quiet
BIN=target/release/gongkai
# The floor binary cargo just built (older builds of it stay in target/release/deps).
FLOOR=$(cargo bench --no-run --bench floor --message-format=json 2>/dev/null |
  python3 -c 'import json,sys; print([m["executable"] for m in map(json.loads, sys.stdin) if m.get("executable") and m["target"]["name"] == "floor"][-1])')

# The Python pipeline reads a subset: link the first PY_N files of each format into their own corpus.
SUB=$WORK/subset-$PY_N
for f in docx xlsx; do
  mkdir -p "$SUB/$f"
  find "$CORPUS/$f" -name "*.$f" | sort | sed -n "1,${PY_N}p" | while read -r x; do cp -f "$x" "$SUB/$f/"; done
done

# files/s and peak RSS (MiB) of a command over COUNT files: the median of RUNS runs (machines are noisy).
# An argument @OUT@ becomes a new, empty output folder for each run, as on a first run over an archive: redoing
# thousands of outputs in place measures the file system's handling of freshly deleted files as much as gongkai.
RUNS=${RUNS:-3}
OUTS=0
# One run of a command: "seconds rss" into $TIMED (a variable, not output: a subshell would lose the count of
# output folders, and every run after the first would find its outputs up to date).
timed() { # cmd...
  local t0 t1 args=()
  OUTS=$((OUTS + 1))
  for a in "$@"; do args+=("${a//@OUT@/$WORK/out/$OUTS}"); done
  t0=$(date +%s.%N)
  /usr/bin/time -o "$WORK/time.txt" -f "%M" "${args[@]}" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  TIMED="$(python3 -c "print($t1-$t0)") $(tail -n 1 "$WORK/time.txt")"
}
measure() { # label count cmd...
  local label=$1 count=$2; shift 2
  local results=()
  for _ in $(seq "$RUNS"); do
    timed "$@"
    results+=("$TIMED")
  done
  report_line "$label" "$count" "${results[@]}"
}
# As measure, for commands compared with each other: they run in turn, run by run, so that a slow spell of the
# machine (it has spells of 20-40% for minutes) falls on all of them alike instead of on one.
measure_group() { # label count array-name [label count array-name]...
  local specs=("$@") results=() i run
  for run in $(seq "$RUNS"); do
    for ((i = 0; i < ${#specs[@]}; i += 3)); do
      local -n cmd=${specs[i + 2]}
      timed "${cmd[@]}"
      results[i / 3 * RUNS + run - 1]=$TIMED
      unset -n cmd
    done
  done
  for ((i = 0; i < ${#specs[@]}; i += 3)); do
    report_line "${specs[i]}" "${specs[i + 1]}" "${results[@]:i / 3 * RUNS:RUNS}"
  done
}
# One table line (median seconds, files/s, the largest peak) from "seconds rss" pairs, and the files/s into $RESULTS.
report_line() { # label count "seconds rss"...
  local label=$1 count=$2; shift 2
  python3 - "$label" "$count" "$@" <<'PY'
import os, sys
label, n, runs = sys.argv[1], int(sys.argv[2]), [tuple(map(float, r.split())) for r in sys.argv[3:]]
s = sorted(r[0] for r in runs)[len(runs) // 2]
rss = max(r[1] for r in runs)
print(f"| {label} | {n} | {s:.2f} | {n/s:.0f} | {int(rss)//1024} |")
with open(os.environ["RESULTS"], "a") as out:
    out.write(f"{label}\t{n/s}\n")
PY
}
# As measure, for a command that times its own work and prints "= R files/s": the writer over every corpus report,
# whose reading of the reports beforehand is not the writer's cost (its peak memory holds all of them).
measure_own() { # label count cmd...
  local label=$1 count=$2; shift 2
  local results=()
  for _ in $(seq "$RUNS"); do
    local args=() rate
    OUTS=$((OUTS + 1))
    for a in "$@"; do args+=("${a//@OUT@/$WORK/out/$OUTS}"); done
    /usr/bin/time -o "$WORK/time.txt" -f "%M" "${args[@]}" >"$WORK/own.txt" 2>/dev/null || true
    rate=$(sed -n 's/.*= \([0-9.]*\) files\/s.*/\1/p' "$WORK/own.txt")
    results+=("$(python3 -c "print($count / ${rate:-0.001})") $(tail -n 1 "$WORK/time.txt")")
  done
  report_line "$label" "$count" "${results[@]}"
}
export RESULTS=$WORK/results.tsv
rm -f "$RESULTS"

echo "| what | files | seconds | files/s | peak MiB |"
echo "|---|---|---|---|---|"
for f in docx xlsx; do
  floor_1=("$FLOOR" "$CORPUS/$f" 1) floor_2=("$FLOOR" "$CORPUS/$f" 2)
  lower_1=("${floor_1[@]}" --libdeflate) lower_2=("${floor_2[@]}" --libdeflate)
  check_1=("$BIN" -j 1 check --output-format concise "$CORPUS/$f") check_2=("$BIN" -j 2 check --output-format concise "$CORPUS/$f")
  measure_group "floor: unzip + tokenise every XML part, $f, 1 thread(s)" "$N" floor_1 \
    "floor, parts inflated by libdeflate, $f, 1 thread(s)" "$N" lower_1 "gongkai check, $f, -j 1" "$N" check_1 \
    "floor: unzip + tokenise every XML part, $f, 2 thread(s)" "$N" floor_2 \
    "floor, parts inflated by libdeflate, $f, 2 thread(s)" "$N" lower_2 "gongkai check, $f, -j 2" "$N" check_2
  none_1=("$BIN" -j 1 batch "$CORPUS/$f" -o @OUT@ --to none) none_2=("$BIN" -j 2 batch "$CORPUS/$f" -o @OUT@ --to none)
  xlsx_1=("$BIN" -j 1 batch "$CORPUS/$f" -o @OUT@ --to xlsx) xlsx_2=("$BIN" -j 2 batch "$CORPUS/$f" -o @OUT@ --to xlsx)
  measure_group "gongkai batch --to none (dataset only), $f, -j 1" "$N" none_1 \
    "gongkai batch --to none (dataset only), $f, -j 2" "$N" none_2 \
    "gongkai batch --to xlsx, $f, -j 1" "$N" xlsx_1 "gongkai batch --to xlsx, $f, -j 2" "$N" xlsx_2
done
# The writer's cost: one corpus report (its values and text) rendered by gongkai's XLSX writer and written to disk.
SAMPLE_REPORT=$(find "$CORPUS/xlsx" -name "*.xlsx" | sort | sed -n 1p)
for j in 1 2; do
  measure "rust_xlsxwriter: write one report to disk, $j thread(s)" 1000 "$FLOOR" --write 1000 "$j" "$SAMPLE_REPORT" @OUT@
done
# The same writer over every corpus report once (read beforehand, untimed), as a batch writes them.
for j in 1 2; do
  measure_own "rust_xlsxwriter: write each corpus report once, $j thread(s)" "$N" "$FLOOR" --write-each "$CORPUS/xlsx" "$j" @OUT@
done
# The Python pipeline and gongkai check on the same subset, in turn.
for f in docx xlsx; do
  reader=calamine library=python-calamine
  [ "$f" = docx ] && reader=python-docx library=python-docx
  check_subset=("$BIN" -j 1 check --output-format concise "$SUB/$f")
  python=(python3 "$SHARED/py_baseline.py" --format "$f" --reader "$reader" --workers 1 --out "$WORK/py" "$SUB")
  measure_group "gongkai check, $f subset, -j 1" "$PY_N" check_subset \
    "python: $library read + check + openpyxl write, $f subset, 1 process" "$PY_N" python
done
measure "python: python-docx read + check (--no-write), docx subset, 1 process" "$PY_N" python3 "$SHARED/py_baseline.py" --format docx --reader python-docx --workers 1 --no-write --out "$WORK/py" "$SUB"

# Peak memory against archive size: the same 2000 reports listed once, then five times over (10 000 reports), as
# five folders of hard links (batch reads a folder given twice once).
FIVE=()
for k in 1 2 3 4 5; do
  [ -d "$WORK/five-$N/$k" ] || { mkdir -p "$WORK/five-$N" && cp -al "$CORPUS/docx" "$WORK/five-$N/$k"; }
  FIVE+=("$WORK/five-$N/$k")
done
measure "gongkai check, $N reports, -j 2" "$N" $BIN -j 2 check --output-format concise "$CORPUS/docx"
measure "gongkai check, $((5 * N)) reports, -j 2" "$((5 * N))" $BIN -j 2 check --output-format concise "${FIVE[@]}"
measure "gongkai batch --to none, $N reports, -j 2" "$N" $BIN -j 2 batch "$CORPUS/docx" -o @OUT@ --to none
measure "gongkai batch --to none, $((5 * N)) reports, -j 2" "$((5 * N))" $BIN -j 2 batch "${FIVE[@]}" -o @OUT@ --to none
# A rerun with --force redoes every output in place (the run above, on a fresh folder, is the first run). Last, as
# it deletes thousands of files.
$BIN batch "$CORPUS/xlsx" -o "$WORK/out/rerun" --to xlsx >/dev/null 2>&1 || true
measure "gongkai batch --to xlsx --force, redoing its outputs in place, xlsx, -j 1" "$N" $BIN -j 1 batch "$CORPUS/xlsx" -o "$WORK/out/rerun" --to xlsx --force
rm -rf "$WORK/out"

# The issue's targets, from the figures above (files/s turned into time per file where they add up).
python3 - <<'PY'
import os
fps = dict((k, float(v)) for k, v in (l.rstrip("\n").split("\t") for l in open(os.environ["RESULTS"])))
py = {"docx": "python: python-docx read + check + openpyxl write, docx subset, 1 process",
      "xlsx": "python: python-calamine read + check + openpyxl write, xlsx subset, 1 process"}
target_py = {"docx": 100, "xlsx": 30}
print("\n| target | DOCX | XLSX | goal |\n|---|---|---|---|")
def row(what, fn, goal):
    print(f"| {what} | {fn('docx')} | {fn('xlsx')} | {goal} |")
row("check ÷ Python pipeline (files/s on the same subset, in turn, 1 thread)",
    lambda f: f"{fps[f'gongkai check, {f} subset, -j 1'] / fps[py[f]]:.0f}×", "≥ 100× DOCX, ≥ 30× XLSX")
row("the same, check over the whole corpus",
    lambda f: f"{fps[f'gongkai check, {f}, -j 1'] / fps[py[f]]:.0f}×", "≥ 100× DOCX, ≥ 30× XLSX")
# Two floors: the zip crate's inflate, as ../shared/bench/README.md defines the floor, and libdeflate's, the one
# gongkai's readers use.
floors = {"": "floor: unzip + tokenise every XML part", " (libdeflate floor)": "floor, parts inflated by libdeflate"}
for j in (1, 2):
    for name, label in floors.items():
        floor = lambda f: 1 / fps[f"{label}, {f}, {j} thread(s)"]
        row(f"check time ÷ floor time{name}, {j} thread(s)",
            lambda f: f"{(1 / fps[f'gongkai check, {f}, -j {j}']) / floor(f):.2f}×", "≤ 2×")
        writer = 1 / fps[f"rust_xlsxwriter: write one report to disk, {j} thread(s)"]
        row(f"batch --to xlsx time ÷ (floor + writer){name}, {j} thread(s)",
            lambda f: f"{(1 / fps[f'gongkai batch --to xlsx, {f}, -j {j}']) / (floor(f) + writer):.2f}×", "≤ 1.3×")
        each = 1 / fps[f"rust_xlsxwriter: write each corpus report once, {j} thread(s)"]
        row(f"batch --to xlsx time ÷ (floor + writer over each corpus report){name}, {j} thread(s)",
            lambda f: f"{(1 / fps[f'gongkai batch --to xlsx, {f}, -j {j}']) / (floor(f) + each):.2f}×", "≤ 1.3×")
for what in ("gongkai check", "gongkai batch --to none (dataset only)", "gongkai batch --to xlsx"):
    row(f"{what}: 2 threads ÷ 1", lambda f: f"{fps[f'{what}, {f}, -j 2'] / fps[f'{what}, {f}, -j 1']:.2f}×",
        "near 2×")
PY
