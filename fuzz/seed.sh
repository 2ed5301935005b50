#!/usr/bin/env bash
# Seed corpora for the fuzz targets, from the fixtures (copied, not linked, so the fuzzer may rewrite them).
set -euo pipefail
cd "$(dirname "$0")"
for t in import_xlsx xlsx_parts import_docx import_html import_text recognize_grid import_pdf; do mkdir -p "seeds/$t"; done
cp ../fixtures/xlsx/*.xlsx ../fixtures/xls/*.xls seeds/import_xlsx/
cp ../fixtures/docx/*.docx seeds/import_docx/
cp ../fixtures/html/*.html seeds/import_html/
cp ../fixtures/pdf/*.pdf ../fixtures/bad/*.pdf seeds/import_pdf/
cp ../fixtures/text/* seeds/import_text/
cp ../fixtures/text/* seeds/recognize_grid/
# xlsx_parts: shared strings, a 0x00 byte, the sheet, a 0x00 byte, the styles, from the fixtures' workbooks.
for f in ../fixtures/xlsx/*.xlsx; do
  out="seeds/xlsx_parts/$(basename "$f" .xlsx)"
  { unzip -p "$f" xl/sharedStrings.xml 2>/dev/null || true; printf '\0'; unzip -p "$f" xl/worksheets/sheet1.xml
    printf '\0'; unzip -p "$f" xl/styles.xml 2>/dev/null || true; } > "$out"
done
