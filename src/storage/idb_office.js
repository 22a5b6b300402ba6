// The office app's part of storage.rs's IndexedDB adapter: the digest of
// changes and the ledger as of a date read the whole log, and a conflict's
// side is looked up by id. Only the office's wasm imports it, so the field
// app's first load carries none of it.
import { authorsOf, db, done, idsOf, textsOf } from './idb.js';

/** [texts, authors] of every edit, in arrival order. */
export async function idbAll() {
  const records = await done(db.transaction('edits').objectStore('edits').getAll());
  return [records.flatMap(textsOf), records.flatMap(authorsOf)];
}

/** [[text], [author]] of the edit with this id, or two empty lists. */
export async function idbRecord(id) {
  const r = await done(db.transaction('edits').objectStore('edits').index('i').get(id));
  if (!r) return [[], []];
  const n = Math.max(0, idsOf(r).indexOf(id));
  return [[textsOf(r)[n]], [authorsOf(r)[n]]];
}
