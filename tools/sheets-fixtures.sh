#!/usr/bin/env bash
# Regenerates the LibreOffice fixtures of tests/sheets.rs (not part of the
# tests: CI has no LibreOffice). Needs Debian's libreoffice-calc-nogui.
# The test `the_export_is_three_sheets…` writes the app's own export of the
# fixture ledger to target/sheets-fixture/; LibreOffice Calc, headless, then
#   - opens the .xlsx and saves it as .xlsx   → libreoffice-resaved.xlsx
#   - opens the .xlsx and saves it as CSV     → libreoffice-from-xlsx.csv
#   - opens the CSV and saves it as .xlsx     → libreoffice-from-csv.xlsx
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --test sheets the_export_is_three_sheets
src=target/sheets-fixture
rm -rf "$src/lo" && mkdir -p "$src/lo/a" "$src/lo/b" "$src/lo/c"
export HOME="${TMPDIR:-/tmp}/libreoffice-home"
soffice --headless --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$src/lo/a" "$src/export.xlsx"
soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir "$src/lo/b" "$src/export.xlsx"
soffice --headless --infilter='Text - txt - csv (StarCalc):44,34,76,1' --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$src/lo/c" "$src/export.csv"
cp "$src/lo/a/export.xlsx" tests/fixtures/libreoffice-resaved.xlsx
cp "$src/lo/b/export.csv" tests/fixtures/libreoffice-from-xlsx.csv
cp "$src/lo/c/export.xlsx" tests/fixtures/libreoffice-from-csv.xlsx
