// IndexedDB for storage.rs, as promises: each function is one transaction,
// all of whose requests are made at once. What is written when, and what a
// failure means, is decided in Rust (domain::log::keeper); this file only
// speaks IndexedDB's event API, which costs far less here than through
// web-sys (ARCHITECTURE.md, "Storage").
//
// Database `project-ledger`: `edits` (records {i: id, p: subject, j: wire
// text, a: the person, when sync knows it, s: true when pulled from a sync
// server}, keyed by arrival, indexes i unique
// and p) and `state` (meta, snapshot).
const NAME = 'project-ledger';
// Exported for storage_idb_sync.js, the sync engine's part.
export let db = null;

/**
 * A record's wire text, or, for a record of any other shape (null, a number,
 * an object without `j`: a bug or a foreign write), `{ raw }` with its value
 * as JSON, so that Rust keeps it aside and the others still read.
 */
export const textOf = (r) => (typeof r?.j === 'string' ? r.j : { raw: JSON.stringify(r) ?? String(r) });
/** A record's author as sync noted it, '' when none (or no record at all). */
export const authorOf = (r) => (typeof r?.a === 'string' ? r.a : '');

const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

/** Waits for the transaction; a refused one (a full disk aborts it) rejects with why. */
const finish = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'));
  // Nothing more comes: the browser may commit without waiting for this page,
  // so a page closed right after a change has already handed it over.
  tx.commit?.();
});

/** Runs `issue` on a new transaction; if it throws, nothing of it is kept. */
const write = (stores, issue) => {
  const tx = db.transaction(stores, 'readwrite');
  try {
    issue(tx);
  } catch (e) {
    tx.abort();
    throw e;
  }
  return finish(tx);
};

/**
 * Opens the database (a new one gets its stores and `meta`; without `meta`
 * none is created). With `records`, upgrades it to `version` and replaces the
 * log in the upgrade itself: every other tab must let go first, so none can
 * write back what was replaced. `letGo` runs when another tab does that here.
 * Resolves to the database's version.
 */
export async function idbOpen(meta, version, records, letGo) {
  const request = version ? indexedDB.open(NAME, version) : indexedDB.open(NAME);
  request.onupgradeneeded = (e) => {
    const tx = request.transaction;
    if (e.oldVersion === 0) {
      if (meta === undefined) return tx.abort();
      const edits = request.result.createObjectStore('edits', { autoIncrement: true });
      edits.createIndex('i', 'i', { unique: true });
      edits.createIndex('p', 'p');
      request.result.createObjectStore('state').put(meta, 'meta');
    }
    if (records) {
      const edits = tx.objectStore('edits');
      edits.clear();
      for (const r of records) edits.add(r);
      tx.objectStore('state').delete('snapshot');
    }
  };
  const opened = await done(request);
  opened.onversionchange = () => {
    opened.close();
    if (db === opened) db = null;
    letGo();
  };
  db = opened;
  return opened.version;
}

/** This tab lets go of the database (before it upgrades it for a restore). */
export function idbClose() {
  db?.close();
  db = null;
}

export function idbOpened() {
  return db !== null;
}

/** [meta, snapshot] from `state`. */
export async function idbState() {
  const state = db.transaction('state').objectStore('state');
  const meta = done(state.get('meta'));
  const snapshot = done(state.get('snapshot'));
  return [await meta, await snapshot];
}

/** Adds records as one transaction; an id held already is skipped. */
export function idbAppend(records) {
  return write('edits', (tx) => {
    const edits = tx.objectStore('edits');
    for (const r of records) {
      edits.add(r).onerror = (e) => {
        if (e.target.error.name === 'ConstraintError') {
          e.preventDefault();
          e.stopPropagation();
        }
      };
    }
  });
}

/** [texts, arrival keys] of the records after arrival `mark`. */
export async function idbAfter(mark) {
  const edits = db.transaction('edits').objectStore('edits');
  const range = IDBKeyRange.lowerBound(mark, true);
  const records = done(edits.getAll(range));
  const keys = done(edits.getAllKeys(range));
  return [(await records).map(textOf), await keys];
}

/** Texts of the records about any of `subjects` (a refold of some projects), in any order. */
export async function idbSubjects(subjects) {
  const index = db.transaction('edits').objectStore('edits').index('p');
  const found = await Promise.all(subjects.map((subject) => done(index.getAll(subject))));
  return found.flat().map(textOf);
}

/** [texts, authors] of one subject's records (a project's history), in any order. */
export async function idbSubject(subject) {
  const records = await done(db.transaction('edits').objectStore('edits').index('p').getAll(subject));
  return [records.map(textOf), records.map(authorOf)];
}

/** [[text], [author]] of the record with this id, or two empty lists. */
export async function idbRecord(id) {
  const r = await done(db.transaction('edits').objectStore('edits').index('i').get(id));
  return r ? [[textOf(r)], [authorOf(r)]] : [[], []];
}

/** Puts one value of `state` (the snapshot). */
export function idbPut(key, value) {
  return write('state', (tx) => tx.objectStore('state').put(value, key));
}
