// The sync engine's part of storage.rs's IndexedDB adapter: only the engine's
// wasm imports it, so the apps' first load carries none of it. The database
// is the one storage_idb.js opened (each wasm has its own instance of both).
import { db, textOf } from './storage_idb.js';

/**
 * Adds the records whose id is not held yet, as one transaction (a page
 * pulled may hold edits this device has): an add refused for its id is let
 * go. Resolves with how many were added. Not told to commit: Chromium aborts a transaction told to commit when
 * any of its requests fails, even one whose error was handled (UnknownError).
 */
export function idbAppendNew(records) {
  const tx = db.transaction('edits', 'readwrite');
  const edits = tx.objectStore('edits');
  let added = 0;
  for (const r of records) {
    const request = edits.add(r);
    request.onsuccess = () => { added += 1; };
    request.onerror = (e) => {
      if (e.target.error.name === 'ConstraintError') {
        e.preventDefault();
        e.stopPropagation();
      }
    };
  }
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(added);
    tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'));
  });
}

/**
 * [ids, texts, arrival keys, pulled from a server] of the records after
 * arrival `mark`: the engine reads a text only for an id it must push.
 */
export async function idbAfterWithIds(mark) {
  const edits = db.transaction('edits').objectStore('edits');
  const range = IDBKeyRange.lowerBound(mark, true);
  const [records, keys] = await Promise.all([edits.getAll(range), edits.getAllKeys(range)].map((request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  })));
  return [records.map((r) => (typeof r?.i === 'string' ? r.i : '')), records.map(textOf), keys, records.map((r) => r?.s === true)];
}
