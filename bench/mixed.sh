#!/usr/bin/env bash
# The archive-mode acceptance run: the benchmark corpus plus 5% broken files (truncated, random bytes, .doc).
# batch must finish, report every broken file as unreadable, give one dataset row per good report, and its
# values.csv must equal `gongkai convert FILE -o -` for the same files. Prints what it checked; exits 1 on a mismatch.
#
#   bash bench/mixed.sh [N] [SAMPLE]
#
# N: reports per format (the corpus of bench/run.sh, made if missing); SAMPLE: reports compared value by value with
# `convert` (default 40).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
SAMPLE=${2:-40}
WORK=${TMPDIR:-/tmp}/gongkai-bench
CORPUS=$WORK/corpus-$N
MIXED=$WORK/mixed-$N
OUT=$WORK/mixed-out
mkdir -p "$WORK"
if [ ! -f "$CORPUS/truth.jsonl" ]; then
  python3 -m pip install --quiet --disable-pip-version-check python-docx openpyxl 2>&1 | grep -v "as the 'root' user" || true
  python3 ../shared/bench/make_corpus.py --n "$N" --out "$CORPUS" --jobs 2 >/dev/null
fi
cargo build --release --quiet
BIN=target/release/gongkai

rm -rf "$MIXED" "$OUT"
mkdir -p "$MIXED/broken"
cp -r "$CORPUS/docx" "$CORPUS/xlsx" "$MIXED/"
python3 - "$CORPUS" "$MIXED/broken" "$((N / 40))" <<'PY'
import os, random, shutil, sys
corpus, broken, n = sys.argv[1], sys.argv[2], int(sys.argv[3])  # 4n broken files: 5% of the 2N good ones
rng = random.Random(5)
good = sorted(os.path.join(d, f) for d in (f"{corpus}/docx", f"{corpus}/xlsx") for f in os.listdir(d))
for i, src in enumerate(rng.sample(good, 2 * n)):  # truncated: the first half of a real file
    data = open(src, "rb").read()
    open(f"{broken}/truncated-{i:03}{os.path.splitext(src)[1]}", "wb").write(data[: len(data) // 2])
for i in range(n):  # random bytes under a report's name
    open(f"{broken}/random-{i:03}.{'docx' if i % 2 else 'xlsx'}", "wb").write(rng.randbytes(rng.randint(1, 50_000)))
for i in range(n):  # Word 97-2003
    shutil.copy("fixtures/bad/old-binary-word.doc", f"{broken}/old-{i:03}.doc")
PY
BROKEN=$(find "$MIXED/broken" -type f | wc -l)
TOTAL=$(find "$MIXED" -type f | wc -l)
echo "corpus: $TOTAL files, $BROKEN broken ($((100 * BROKEN / TOTAL))%)"

start=$(date +%s.%N)
status=0
/usr/bin/time -o "$WORK/mixed-time.txt" -f "%M" $BIN -j 2 batch "$MIXED" -o "$OUT" --to json || status=$?
end=$(date +%s.%N)
echo "batch: exit $status, $(python3 -c "print(f'{$end - $start:.1f}')") s, peak $(($(tail -n 1 "$WORK/mixed-time.txt") / 1024)) MiB"

python3 - "$OUT" "$MIXED" "$CORPUS/truth.jsonl" "$BIN" "$SAMPLE" <<'PY'
import csv, json, random, subprocess, sys
out, mixed, truth_path, binary, sample = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
rows = list(csv.DictReader(open(f"{out}/summary.csv", encoding="utf-8-sig")))
broken = [r for r in rows if r["path"].startswith("broken/")]
good = [r for r in rows if not r["path"].startswith("broken/")]
problems = []
if any(r["status"] != "unreadable" or not r["message"] for r in broken):
    problems.append("a broken file is not reported as unreadable with its reason")
if any(r["status"] not in ("ok", "errors") for r in good):
    problems.append("a good report is not read")
truth = {json.loads(line)["file"]: json.loads(line) for line in open(truth_path, encoding="utf-8")}
marked = {f for f, t in truth.items() if t["errors"]}
flagged = {r["path"] for r in good if r["status"] == "errors"}
print(f"summary.csv: {len(rows)} rows; {len(broken)} broken, all unreadable with a reason: {not problems}; "
      f"{len(good)} good; {len(flagged)} with errors, {len(marked)} marked in truth.jsonl, "
      f"{len(flagged & marked)} of them found")
values = {}
with open(f"{out}/values.csv", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        values.setdefault(r["report_id"], {})[r["key"]] = r["value"]
if set(values) != {r["path"] for r in good}:
    problems.append("values.csv does not hold exactly the good reports")
compared = 0
for r in random.Random(1).sample(good, min(sample, len(good))):
    doc = json.loads(subprocess.run([binary, "convert", f"{mixed}/{r['path']}", "-o", "-"], capture_output=True,
                                    check=True).stdout)
    want = {k: ("" if v is None else json.dumps(v, ensure_ascii=False)) for k, v in doc["values"].items()}
    have = values.get(r["path"], {})
    if want != have:
        problems.append(f"{r['path']}: values.csv differs from convert")
    compared += len(want)
print(f"values.csv: {len(values)} reports; {compared} values of {min(sample, len(good))} reports equal to `convert -o -`")
for p in problems:
    print("PROBLEM:", p)
sys.exit(1 if problems else 0)
PY
