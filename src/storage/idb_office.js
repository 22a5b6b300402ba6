// The office app's part of storage.rs's IndexedDB adapter: the digest of
// changes and the ledger as of a date read the whole log. Only the office's
// wasm imports it, so the field app's first load carries none of it.
import { authorsOf, db, textsOf } from './idb.js';

/** [texts, authors] of every edit, in arrival order. */
export async function idbAll() {
  const records = await new Promise((resolve, reject) => {
    const request = db.transaction('edits').objectStore('edits').getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return [records.flatMap(textsOf), records.flatMap(authorsOf)];
}
