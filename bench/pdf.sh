#!/usr/bin/env bash
# PDF benchmark: gongkai check over a folder of report PDFs against poppler's pdftotext -tsv once per file (a C text
# dump that builds no tables) and pdfplumber's extract_tables (what a Python user would write), on the same files in
# the same run; then gongkai's peak memory on one PDF of many pages. Prints a markdown table; nothing here is a test.
#
#   bash bench/pdf.sh [N]
#
# N: reports printed to PDF by LibreOffice (default 300: two thirds DOCX, one third XLSX, from the corpus of
# ../shared/bench/make_corpus.py), plus the PDFs of fixtures/pdf and ../shared/corpus/real. Cached under
# $TMPDIR/gongkai-bench. Needs soffice, pdftotext, qpdf; installs pdfplumber.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}
WORK=${TMPDIR:-/tmp}/gongkai-bench
CORPUS=$WORK/corpus-2000
PDFS=$WORK/pdf-$N
RUNS=${RUNS:-3}
mkdir -p "$WORK"
python3 -m pip install --quiet --disable-pip-version-check python-docx openpyxl pdfplumber 2>&1 | grep -v "as the 'root' user" || true
if [ ! -f "$CORPUS/truth.jsonl" ]; then
  python3 ../shared/bench/make_corpus.py --n 2000 --out "$CORPUS" --jobs 2 >/dev/null
fi
if [ ! -f "$PDFS/.done" ]; then
  rm -rf "$PDFS" && mkdir -p "$PDFS/src"
  find "$CORPUS/docx" -name '*.docx' | sort | sed -n "1,$((N * 2 / 3))p" | xargs -I{} cp {} "$PDFS/src/"
  # The workbooks from the second thousand: their names (r01000…) differ from the documents', and so do their PDFs'.
  find "$CORPUS/xlsx" -name '*.xlsx' | sort | sed -n "1001,$((1000 + N - N * 2 / 3))p" | xargs -I{} cp {} "$PDFS/src/"
  # In runs of 50: one soffice given hundreds of files has been seen to stop partway.
  (cd "$PDFS/src" && find . -type f -print0 | sort -z | xargs -0 -n 50 soffice -env:UserInstallation=file://"$PDFS/profile" \
    --headless --norestore --convert-to pdf --outdir "$PDFS" >/dev/null 2>&1)
  cp fixtures/pdf/*.pdf "$PDFS/"
  cp ../shared/corpus/real/*.pdf "$PDFS/" 2>/dev/null || true
  # One long PDF: a hundred reports one after another.
  mapfile -t first < <(find "$PDFS" -maxdepth 1 -name 'r0*.pdf' | sort | sed -n 1,100p)
  qpdf --empty --pages "${first[@]}" -- "$WORK/long-$N.pdf"
  touch "$PDFS/.done"
fi
cargo build --release --quiet
BIN=target/release/gongkai
FILES=$(find "$PDFS" -maxdepth 1 -name '*.pdf' | wc -l)
PAGES=$(for f in "$PDFS"/*.pdf; do pdfinfo "$f" | awk '/^Pages:/ {print $2}'; done | paste -sd+ | bc)
LONG_PAGES=$(pdfinfo "$WORK/long-$N.pdf" | awk '/^Pages:/ {print $2}')

cat > "$WORK/plumber.py" <<'EOF'
import sys, pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
EOF

# Median seconds and peak RSS (MiB) of RUNS runs of a command.
measure() { # label cmd...
  local label=$1; shift
  local ts=() rss=()
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N)
    /usr/bin/time -o "$WORK/time.txt" -f "%M" "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    ts+=("$(python3 -c "print($t1-$t0)")")
    rss+=("$(tail -n 1 "$WORK/time.txt")")
  done
  local t m
  t=$(printf '%s\n' "${ts[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  m=$(printf '%s\n' "${rss[@]}" | sort -g | tail -n 1)
  printf '| %s | %.2f | %.1f | %.0f |\n' "$label" "$t" "$(python3 -c "print($FILES/$t)")" "$((m / 1024))"
  eval "T_${label//[^a-zA-Z0-9]/_}=$t"
}

echo "$FILES PDFs, $PAGES pages ($(du -sh "$PDFS" | cut -f1)); median of $RUNS runs, $(nproc) cores"
echo
echo "| command | seconds | files/s | peak RSS MiB |"
echo "|---|---|---|---|"
measure "gongkai check (all cores)" "$BIN" check --output-format concise "$PDFS"
measure "gongkai check -j 1" "$BIN" check -j 1 --output-format concise "$PDFS"
measure "pdftotext -tsv per file (all cores)" sh -c "find '$PDFS' -maxdepth 1 -name '*.pdf' -print0 | xargs -0 -P $(nproc) -I{} pdftotext -tsv {} /dev/null"
measure "pdftotext -tsv per file (one at a time)" sh -c "for f in '$PDFS'/*.pdf; do pdftotext -tsv \"\$f\" /dev/null; done"
measure "pdfplumber extract_tables (all cores)" sh -c "find '$PDFS' -maxdepth 1 -name '*.pdf' -print0 | xargs -0 -n 20 -P $(nproc) python3 '$WORK/plumber.py'"
measure "pdfplumber extract_tables (one process)" python3 "$WORK/plumber.py" "$PDFS"/*.pdf
echo
python3 - "$T_gongkai_check__all_cores_" "$T_pdftotext__tsv_per_file__all_cores_" "$T_pdfplumber_extract_tables__all_cores_" \
  "$T_gongkai_check__j_1" "$T_pdftotext__tsv_per_file__one_at_a_time_" "$T_pdfplumber_extract_tables__one_process_" <<'EOF'
import sys
g, p, pl, g1, p1, pl1 = map(float, sys.argv[1:])
print(f"all cores: gongkai check takes {g/p:.2f}x the time of pdftotext -tsv, and is {pl/g:.0f}x faster than pdfplumber")
print(f"one core:  gongkai check takes {g1/p1:.2f}x the time of pdftotext -tsv, and is {pl1/g1:.0f}x faster than pdfplumber")
EOF
echo
echo "One PDF of $LONG_PAGES pages (100 reports joined by qpdf):"
echo
echo "| command | seconds | files/s | peak RSS MiB |"
echo "|---|---|---|---|"
FILES=1 measure "gongkai check, $LONG_PAGES pages" "$BIN" check --output-format concise "$WORK/long-$N.pdf"
FILES=1 measure "pdftotext -tsv, $LONG_PAGES pages" pdftotext -tsv "$WORK/long-$N.pdf" /dev/null
