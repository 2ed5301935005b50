#!/usr/bin/env python3
"""Open every file gongkai writes with programs other than gongkai, and compare what they read.

    python3 tests/independent/check_outputs.py target/debug/gongkai

For each fixture with known values (fixtures/manifest.json), the binary converts it to .xlsx and .docx; openpyxl
and python-docx then read tables 2, 3 and 4 back by their labels and the values must equal the generator's
(fixtures/expected/*.json, written without gongkai). For each fixture with fixable errors, `fix --unsafe-fixes`
writes a corrected file: its changed cells must be marked (openpyxl: fill and note; python-docx: shading) and
表三's arithmetic must hold in it. Each fixture workbook is also written again by Python xlsxwriter with inline
strings, and gongkai must read the generator's values from it. The blank templates must carry formulas and
validation. Finally LibreOffice
converts every written file to PDF. Inputs must be byte-identical afterwards. Ends with 'N passed, M failed'.
"""
import hashlib
import json
import zipfile
import re
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "fixtures"))
from make_fixtures import T2_2021, T3_COLS, T3_ROWS, T4_COLS, T4_GROUPS  # noqa: E402

from docx import Document  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

passed, failed = 0, []


def ok(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failed.append(what)


def norm(text):
    if text is None:
        return ""
    t = str(text)
    for a, b in (("（", "("), ("）", ")"), ("，", ","), ("：", ":"), ("“", ""), ("”", ""), ("\n", ""), (" ", ""), ("\u3000", "")):
        t = t.replace(a, b)
    return t


def num(x):
    # Blank and the placeholders of FORMAT.md §2 carry no number.
    if x is None or (isinstance(x, str) and x.strip() in ("", "/", "—", "－", "-", "无")):
        return None
    if isinstance(x, str) and x.strip().endswith("元") and not x.strip().endswith("万元"):
        x = x.strip()[:-1]  # an amount in 元 is written with its unit, so that nobody reads it as 万元
    try:
        return float(x)
    except (TypeError, ValueError):
        return None  # text where a number belongs: no number, as in the canonical values


def same(a, b):
    a, b = num(a), num(b)
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 1e-9
    return a == b


T3_LABELS = {norm(l3 or l2 or l1): key for key, l2, l3, l1 in T3_ROWS}
T2_LABELS = {norm(label): (rk, fields) for _, _, fields, rws in T2_2021 for label, rk in rws}


def read_xlsx(path):
    """Values by canonical key, read with openpyxl from the standard layout gongkai writes (2021 format)."""
    ws = load_workbook(path)["年报"]
    got = {}
    rows = list(ws.iter_rows())
    for row in rows:
        labels = [norm(c.value) for c in row[:3] if isinstance(c.value, str)]
        if not labels:
            continue
        leaf = labels[-1]
        if leaf in T3_LABELS:
            key = T3_LABELS[leaf]
            for (col, _), cell in zip(T3_COLS, row[3:10]):
                got[f"t3.{key}.{col}"] = cell.value
        elif leaf in T2_LABELS:
            rk, fields = T2_LABELS[leaf]
            for f, cell in zip(fields, row[3:3 + len(fields)]):
                got[f"t2.{rk}.{f}"] = cell.value
    for i, row in enumerate(rows):
        if any(c.value == "复议后起诉" for c in row):
            values = rows[i + 2][3:18]
            for n, cell in enumerate(values):
                g, c = T4_GROUPS[n // 5][0], T4_COLS[n % 5][0]
                got[f"t4.{g}.{c}"] = cell.value
            break
    return got, ws


def unique_cells(row):
    seen, out = set(), []
    for c in row.cells:
        if id(c._tc) not in seen:
            seen.add(id(c._tc))
            out.append(c)
    return out


def shown(cell):
    """What Word shows in a cell: every w:t of its paragraphs, field results (w:fldSimple) included, which
    python-docx's cell.text leaves out."""
    from docx.oxml.ns import qn
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in cell._tc.iter(qn("w:p")))


def read_docx(path):
    doc = Document(path)
    got = {}
    t2, t3, t4 = doc.tables[0], doc.tables[1], doc.tables[2]
    for row in t3.rows:
        cells = unique_cells(row)
        labels = [norm(shown(c)) for c in cells[:-7] if shown(c).strip()]
        if labels and labels[-1] in T3_LABELS:
            key = T3_LABELS[labels[-1]]
            for (col, _), cell in zip(T3_COLS, cells[-7:]):
                got[f"t3.{key}.{col}"] = shown(cell)
    for row in t2.rows:
        cells = unique_cells(row)
        label = norm(shown(cells[0]))
        if label in T2_LABELS:
            rk, fields = T2_LABELS[label]
            for f, cell in zip(fields, cells[1:]):
                got[f"t2.{rk}.{f}"] = shown(cell)
    values = unique_cells(t4.rows[3])
    for n, cell in enumerate(values):
        got[f"t4.{T4_GROUPS[n // 5][0]}.{T4_COLS[n % 5][0]}"] = shown(cell)
    return got, doc


def compare(got, expected, what):
    for key, want in expected.items():
        ok(key in got and same(got[key], want), f"{what}: {key}: expected {want!r}, read {got.get(key)!r}")


def t3_arithmetic_holds(got, what):
    for key, *_ in T3_ROWS:
        parts = [num(got.get(f"t3.{key}.{c}")) or 0 for c, _ in T3_COLS[:6]]
        ok(abs(sum(parts) - (num(got.get(f"t3.{key}.total")) or 0)) < 1e-9, f"{what}: {key} row total")


def check_patched_workbook(src, path, diff, binary):
    """A workbook fixed in place: the cells `fix --diff` named hold their new values, filled and commented; every
    other cell of every sheet is as it was; every part but the changed sheets, the styles, the content types and the
    parts that hold the comments is byte-identical; gongkai finds none of the errors it fixed."""
    changes = {}
    for line in diff.splitlines():
        m = re.match(r".* › (.+)!([A-Z]+[0-9]+): .* → (\S+)  \[(\S+) ", line)
        if m:
            changes[(m.group(1), m.group(2))] = (m.group(3), m.group(4))
    ok(changes, f"{path}: fix --diff named the changes")
    before, after = load_workbook(src), load_workbook(path)
    ok(before.sheetnames == after.sheetnames, f"{path}: the clerk's sheets kept")
    for sheet in before.sheetnames:
        a, b = before[sheet], after[sheet]
        ok(a.max_row == b.max_row and a.max_column == b.max_column, f"{path}: {sheet} keeps its size")
        for row in b.iter_rows():
            for cell in row:
                key = (sheet, cell.coordinate)
                if key in changes:
                    want = changes[key][0]
                    ok(num(cell.value) == num(want), f"{path}: {sheet}!{cell.coordinate} = {cell.value}, want {want}")
                    ok(cell.fill.fgColor.rgb.endswith("FFC7CE"), f"{path}: {sheet}!{cell.coordinate} filled")
                    ok(cell.comment is not None and "gongkai" in cell.comment.text, f"{path}: {sheet}!{cell.coordinate} commented")
                    old = a[cell.coordinate]
                    looks = lambda c: (c.font.name, c.font.sz, c.font.b, c.border.left.style, c.border.right.style,
                                       c.border.top.style, c.border.bottom.style, c.alignment.horizontal)
                    ok(looks(cell) == looks(old), f"{path}: {sheet}!{cell.coordinate} keeps its font, border and alignment")
                else:
                    ok(cell.value == a[cell.coordinate].value, f"{path}: {sheet}!{cell.coordinate} changed")
        widths = lambda ws: {k: v.width for k, v in ws.column_dimensions.items()}
        ok(widths(a) == widths(b), f"{path}: {sheet} keeps its column widths")
        ok(set(map(str, a.merged_cells.ranges)) == set(map(str, b.merged_cells.ranges)), f"{path}: {sheet} keeps its merges")
    za, zb = zipfile.ZipFile(src), zipfile.ZipFile(path)
    for name in za.namelist():
        ok(name in zb.namelist(), f"{path}: {name} kept")
        rewritten = name.startswith("xl/worksheets/sheet") or name in ("xl/styles.xml", "[Content_Types].xml") or name.endswith(".rels") or "comments" in name or name.endswith(".vml")
        if not rewritten:
            ok(za.read(name) == zb.read(name), f"{path}: {name} byte-identical")
    r = run(binary, "check", "--output-format", "json", path)
    fixed_rules = {rule for _, rule in changes.values()}
    left = [d["code"] for f in json.loads(r.stdout)["files"] for d in f.get("diagnostics", []) if d["code"] in fixed_rules]
    ok(not left, f"{path}: still {left}")


def rewrite_with_inline_strings(src, dst):
    """Copy a workbook's values and merges into a new file written by xlsxwriter with inline strings."""
    import xlsxwriter
    book = load_workbook(src, data_only=True)
    out = xlsxwriter.Workbook(dst, {"constant_memory": True})
    for ws in book.worksheets:
        sheet = out.add_worksheet(ws.title)
        merges = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                if (c.row, c.column) in merges:
                    m = merges[(c.row, c.column)]
                    sheet.merge_range(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1, c.value)
                elif isinstance(c.value, (int, float)):
                    sheet.write_number(c.row - 1, c.column - 1, c.value)
                else:
                    sheet.write_string(c.row - 1, c.column - 1, str(c.value))
    out.close()


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def main():
    binary = os.path.abspath(sys.argv[1])
    manifest = json.load(open(os.path.join(ROOT, "fixtures", "manifest.json"), encoding="utf-8"))
    inputs = [os.path.join(ROOT, "fixtures", e["file"]) for e in manifest]
    before = {p: hashlib.sha256(open(p, "rb").read()).hexdigest() for p in inputs}
    written = []
    with tempfile.TemporaryDirectory() as out:
        for e in manifest:
            src = os.path.join(ROOT, "fixtures", e["file"])
            stem = e["file"].replace("/", "_").rsplit(".", 1)[0]
            if e.get("values") and e.get("format") == "2021":
                expected = json.load(open(os.path.join(ROOT, "fixtures", e["values"]), encoding="utf-8"))
                for ext, reader in (("xlsx", read_xlsx), ("docx", read_docx)):
                    dst = os.path.join(out, f"{stem}-{ext}.{ext}")
                    r = run(binary, "convert", src, "-o", dst)
                    ok(r.returncode == 0, f"convert {e['file']} → {ext}: {r.stderr}")
                    if r.returncode == 0:
                        written.append(dst)
                        got, _ = reader(dst)
                        compare(got, expected, f"{e['file']} → {ext} ({reader.__name__})")
            if e["readable"] and e["expect"]:
                fixdir = os.path.join(out, "fixed-" + stem)
                diff = run(binary, "fix", "--unsafe-fixes", "--diff", src).stdout
                r = run(binary, "fix", "--unsafe-fixes", "-o", fixdir, src)
                for name in os.listdir(fixdir) if os.path.isdir(fixdir) else []:
                    path = os.path.join(fixdir, name)
                    written.append(path)
                    if name.endswith(".xlsx") and src.endswith((".xlsx", ".xlsm")):
                        check_patched_workbook(src, path, diff, binary)
                    elif name.endswith(".xlsx"):
                        got, ws = read_xlsx(path)
                        marked = [c for row in ws.iter_rows() for c in row if c.comment is not None]
                        ok(marked and all(c.fill.fgColor.rgb.endswith("FFC7CE") for c in marked), f"{path}: changed cells marked")
                        ok(all("gongkai" in c.comment.text for c in marked), f"{path}: notes say what changed")
                        t3_arithmetic_holds(got, path)
                    else:
                        got, doc = read_docx(path)
                        shaded = doc.element.body.xml.count('w:fill="FFC7CE"')
                        ok(shaded > 0, f"{path}: changed cells shaded")
                        t3_arithmetic_holds(got, path)
        # A workbook that has comments already (openpyxl writes its own comments part and VML drawing): the fix adds
        # its comment to them and the clerk's comment stays.
        from openpyxl.comments import Comment
        book = load_workbook(os.path.join(ROOT, "fixtures", "xlsx", "row-total-off-by-one.xlsx"))
        book.active["B2"].comment = Comment("填表人：张三", "张三")
        commented = os.path.join(out, "commented.xlsx")
        book.save(commented)
        r = run(binary, "fix", "--unsafe-fixes", commented)
        ok(r.returncode == 0, f"fix {commented}: {r.stdout} {r.stderr}")
        ws = load_workbook(os.path.join(out, "commented.fixed.xlsx")).active
        ok(ws["B2"].comment is not None and ws["B2"].comment.text == "填表人：张三", "the clerk's comment kept")
        ok(ws["K25"].value == 16 and ws["K25"].comment is not None and "gongkai" in ws["K25"].comment.text,
           "gongkai's comment added beside the clerk's")
        written.append(os.path.join(out, "commented.fixed.xlsx"))

        # The same workbooks written again by another writer, Python xlsxwriter in constant-memory mode, which
        # stores every text inline (<is><t>) instead of in the shared-string table: gongkai reads the same values.
        for e in manifest:
            if not (e["file"].endswith(".xlsx") and e.get("values") and e.get("format") == "2021"):
                continue
            if "not-calculated" in e["file"]:
                continue  # its totals have no saved results to copy
            src = os.path.join(ROOT, "fixtures", e["file"])
            dst = os.path.join(out, "inline-" + os.path.basename(src))
            rewrite_with_inline_strings(src, dst)
            r = run(binary, "convert", dst, "-o", "-")
            ok(r.returncode == 0, f"convert {dst}: {r.stderr}")
            if r.returncode == 0:
                got = json.loads(r.stdout)["values"]
                expected = json.load(open(os.path.join(ROOT, "fixtures", e["values"]), encoding="utf-8"))
                compare(got, expected, f"{e['file']} rewritten with inline strings")
        for ext in ("xlsx", "docx"):
            dst = os.path.join(out, f"template-{ext}.{ext}")
            r = run(binary, "template", "--year", "2025", "-o", dst)
            ok(r.returncode == 0, f"template {ext}: {r.stderr}")
            written.append(dst)
        ws = load_workbook(os.path.join(out, "template-xlsx.xlsx"))["年报"]
        formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
        ok(len([f for f in formulas if f.startswith("=SUM(")]) == 34, f"template: {len(formulas)} formulas")
        ok(any(f.startswith("=IF(AND(") for f in formulas), "template: 勾稽关系 check cell")
        ok(len(ws.data_validations.dataValidation) >= 165, "template: validation on every input cell")
        ok(len(Document(os.path.join(out, "template-docx.docx")).tables) == 3, "template.docx: three tables")
        # The template filled by a program that calculates nothing (openpyxl drops the saved results): gongkai works
        # the total formulas out, says so (V208), and the filled report passes.
        book = load_workbook(os.path.join(out, "template-xlsx.xlsx"))
        ws = book["年报"]
        rows = {norm("".join(str(c.value or "") for c in row[:3])): row[0].row for row in ws.iter_rows()}
        new_row = next(r for label, r in rows.items() if label.startswith("一、本年新收"))
        granted_row = next(r for label, r in rows.items() if label.endswith("(一)予以公开"))
        leaf = next(c.column for c in ws[new_row] if c.value == 0)
        ws.cell(row=new_row, column=leaf).value = 7
        ws.cell(row=granted_row, column=leaf).value = 7
        filled = os.path.join(out, "template-filled-by-openpyxl.xlsx")
        book.save(filled)
        r = run(binary, "check", "--output-format", "concise", filled)
        ok(r.returncode == 0 and "V208" in r.stdout, f"filled template: {r.stdout}")
        r = run(binary, "convert", filled, "-o", "-")
        values = json.loads(r.stdout)["values"] if r.returncode == 0 else {}
        for key in ("t3.new_received.total", "t3.result.granted.total", "t3.result.total.natural_person", "t3.result.total.total"):
            ok(values.get(key) == 7, f"filled template: {key} = {values.get(key)}")

        # LibreOffice opens every written file and renders it.
        pdfdir = os.path.join(out, "pdf")
        os.makedirs(pdfdir)
        for i in range(0, len(written), 40):
            run("soffice", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", pdfdir, *written[i:i + 40])
        pdfs = set(os.listdir(pdfdir))
        for path in written:
            name = os.path.basename(path).rsplit(".", 1)[0] + ".pdf"
            ok(name in pdfs and os.path.getsize(os.path.join(pdfdir, name)) > 1000, f"LibreOffice could not render {path}")
    after = {p: hashlib.sha256(open(p, "rb").read()).hexdigest() for p in inputs}
    ok(before == after, "an input file changed")
    for f in failed[:50]:
        print("FAILED:", f)
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
