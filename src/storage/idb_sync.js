// The sync engine's part of storage.rs's IndexedDB adapter: only the engine's
// wasm imports it, so the apps' first load carries none of it. The database
// is the one idb.js opened (each wasm has its own instance of both).
import { db, idsOf, textsOf, withArrivals } from './idb.js';

/**
 * Adds the records whose id is not held yet, in transaction `tx` (a 修改包
 * received may hold edits this device has): an add refused for its id is let
 * go. Resolves with how many were added. Not told to commit: Chromium aborts
 * a transaction told to commit when any of its requests fails, even one whose
 * error was handled (UnknownError).
 */
export function idbAppendNew(records, tx = db.transaction('edits', 'readwrite')) {
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
 * Edits a page record holds at most: IndexedDB costs per record written, and
 * a project's history or refold reads each record holding one of its edits
 * whole. Measured in docs/storage.md.
 */
const PAGE_RECORD = 50;

/**
 * Stores a page pulled from a sync server, leaving out the edits this device
 * holds already (the page may hold edits it pushed, or pulled before a
 * restore): as one record where the database takes pages, else one record an
 * edit. Resolves with how many were added.
 */
export function idbAppendPage(ids, subjects, texts, authors) {
  const firsts = new Map();
  ids.forEach((id, n) => { if (!firsts.has(id)) firsts.set(id, n); });
  const all = [...firsts.values()];
  const pick = (take) => ({
    i: take.map((n) => ids[n]), p: take.map((n) => subjects[n]), j: take.map((n) => texts[n]), a: take.map((n) => authors[n]), s: true,
  });
  const tx = db.transaction('edits', 'readwrite');
  const edits = tx.objectStore('edits');
  const index = edits.index('i');
  if (!index.multiEntry) {
    return idbAppendNew(all.map((n) => ({ i: ids[n], p: subjects[n], j: texts[n], a: authors[n], s: true })), tx);
  }
  let added = 0;
  const add = (take) => {
    if (take.length === 0) return null;
    const request = edits.add(pick(take));
    request.onsuccess = () => { added += take.length; };
    return request;
  };
  for (let at = 0; at < all.length; at += PAGE_RECORD) {
    const part = all.slice(at, at + PAGE_RECORD);
    // Some of them are held: each is looked up, and the others added as one record.
    add(part).onerror = (e) => {
      if (e.target.error.name !== 'ConstraintError') return;
      e.preventDefault();
      e.stopPropagation();
      const held = new Set();
      let asked = part.length;
      for (const n of part) {
        const request = index.count(ids[n]);
        request.onsuccess = () => {
          if (request.result > 0) held.add(n);
          asked -= 1;
          if (asked === 0) add(part.filter((m) => !held.has(m)));
        };
      }
    };
  }
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(added);
    tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'));
  });
}

/**
 * [ids, texts, arrival keys, pulled from a server] of the edits after
 * arrival `mark`: the engine reads a text only for an id it must push.
 */
export async function idbAfterWithIds(mark) {
  const edits = db.transaction('edits').objectStore('edits');
  const range = IDBKeyRange.lowerBound(mark, true);
  const [records, keys] = await Promise.all([edits.getAll(range), edits.getAllKeys(range)].map((request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  })));
  const [texts, arrivals] = withArrivals(records, keys, textsOf);
  return [records.flatMap(idsOf), texts, arrivals, records.flatMap((r) => textsOf(r).map(() => r?.s === true))];
}
