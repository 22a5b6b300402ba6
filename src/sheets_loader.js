// Loads the spreadsheet module (a wasm of its own, built from src/sheets/index.html
// into sheets/) the first time the office app exports or imports an .xlsx:
// its two crates outweigh the office app, and a phone never needs them.
// `path` is relative to the page.
let sheets = null;

function load(path) {
  if (!sheets) {
    const loading = (async () => {
      const module = await import(new URL(path, document.baseURI).href);
      await module.default();
      return module;
    })();
    sheets = loading;
    // A failed load (offline before it was ever used here) is tried again next time.
    loading.catch(() => { if (sheets === loading) sheets = null; });
  }
  return sheets;
}

/** Writes the workbook `book` (the export's sheets, `Vec<Sheet>` as JSON) and offers it as the file `name`. */
export async function writeXlsx(path, book, name) {
  const module = await load(path);
  const bytes = module.writeXlsx(book);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The sheet an import reads from the .xlsx `bytes` (`ReadSheet` as JSON);
 * undefined when they are no workbook. Rejects only when the module cannot load.
 */
export async function readXlsx(path, bytes) {
  const module = await load(path);
  // A file that stops the reader altogether is no workbook it can read either.
  try {
    return module.readXlsx(bytes);
  } catch {
    return undefined;
  }
}
