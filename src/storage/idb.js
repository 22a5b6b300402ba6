// IndexedDB for storage/ (Rust), as promises: each function is one transaction,
// all of whose requests are made at once. What is written when, and what a
// failure means, is decided in Rust (domain::log::keeper); this file only
// speaks IndexedDB's event API, which costs far less here than through
// web-sys (docs/storage.md).
//
// Database `project-ledger`: `edits`, keyed by arrival, and `state` (meta,
// snapshot). An `edits` record holds one edit, {i: id, p: subject, j: wire
// text, a: the person, when sync knows it}, or, in a database this version
// made, up to 50 edits of a page pulled from a sync server: {i: [ids], p:
// [subjects], j: [texts], a: [persons], s: true}, because IndexedDB costs
// per record: a first sync of 100,000 edits spent two thirds of its time
// adding them one by one (docs/storage.md). Indexes i
// (unique) and p are multi-entry, so either shape is found by any id or
// subject it holds; a database of an earlier version keeps plain indexes and
// one record an edit.
const NAME = 'project-ledger';
// Exported for idb_sync.js, the sync engine's part.
export let db = null;

/** A well-formed page record (see above). */
const isPage = (r) => Array.isArray(r?.j) && Array.isArray(r.i) && Array.isArray(r.p) && Array.isArray(r.a)
  && r.i.length === r.j.length && r.p.length === r.j.length && r.a.length === r.j.length
  && r.j.every((t) => typeof t === 'string');

/**
 * A record's wire texts: its edit's, or its page's in the order pulled. For a
 * record of any other shape (null, a number, an object without `j`: a bug or
 * a foreign write), one `{ raw }` with its value as JSON, so that Rust keeps
 * it aside and the others still read.
 */
export const textsOf = (r) => {
  if (typeof r?.j === 'string') return [r.j];
  return isPage(r) ? r.j : [{ raw: JSON.stringify(r) ?? String(r) }];
};
/** The persons sync noted for a record's edits, '' when none; as many as textsOf gives. */
export const authorsOf = (r) => (isPage(r)
  ? r.a.map((a) => (typeof a === 'string' ? a : ''))
  : [typeof r?.a === 'string' ? r.a : '']);
/** The ids of a record's edits, '' for a record of no edit's shape; as many as textsOf gives. */
export const idsOf = (r) => (isPage(r) ? r.i.map(String) : [typeof r?.i === 'string' ? r.i : '']);
/** The positions in a record of the edits about `subject` (a plain record holds one). */
const about = (r, subject) => (isPage(r) ? r.p.flatMap((p, n) => (p === subject ? [n] : [])) : [0]);
/** [texts, authors] of the edits about `subject` in `records`. */
const aboutSubject = (records, subject) => {
  const texts = [];
  const authors = [];
  for (const r of records) {
    const [t, a] = [textsOf(r), authorsOf(r)];
    for (const n of about(r, subject)) {
      texts.push(t[n]);
      authors.push(a[n]);
    }
  }
  return [texts, authors];
};

export const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

/** Waits for the transaction; a refused one (a full disk aborts it) rejects with why. */
const finish = (tx, commit) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'));
  // Nothing more comes: the browser may commit without waiting for this page,
  // so a page closed right after a change has already handed it over.
  if (commit) tx.commit?.();
});

/** Runs `issue` on a new transaction; if it throws, nothing of it is kept. */
const write = (stores, issue, commit = true) => {
  const tx = db.transaction(stores, 'readwrite');
  try {
    issue(tx);
  } catch (e) {
    tx.abort();
    throw e;
  }
  return finish(tx, commit);
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
      edits.createIndex('i', 'i', { unique: true, multiEntry: true });
      edits.createIndex('p', 'p', { multiEntry: true });
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

/**
 * Adds records as one transaction; an id held already is skipped. Told to
 * commit at once; but Chromium then aborts the transaction when any request
 * fails, even one whose error was handled (UnknownError;
 * tests/backend_contract_idb.rs found it): then once more, not told.
 */
export function idbAppend(records, commit = true) {
  return write('edits', (tx) => {
    const edits = tx.objectStore('edits');
    for (const r of records) {
      edits.add(r).onerror = (e) => {
        if (e.target.error.name === 'ConstraintError') e.preventDefault();
      };
    }
  }, commit).catch((e) => {
    if (!commit) throw e;
    return idbAppend(records, false);
  });
}

/** [texts, arrival keys] of the edits after arrival `mark` (a page's all have its key). */
export async function idbAfter(mark) {
  const edits = db.transaction('edits').objectStore('edits');
  const range = IDBKeyRange.lowerBound(mark, true);
  const records = done(edits.getAll(range));
  const keys = done(edits.getAllKeys(range));
  return withArrivals(await records, await keys, textsOf);
}

/** [what `of` gives for each edit of `records`, each edit's arrival key]. */
export const withArrivals = (records, keys, of) => {
  const values = [];
  const arrivals = [];
  records.forEach((r, n) => {
    for (const v of of(r)) {
      values.push(v);
      arrivals.push(keys[n]);
    }
  });
  return [values, arrivals];
};

/** Texts of the edits about any of `subjects` (a refold of some projects), in any order. */
export async function idbSubjects(subjects) {
  const index = db.transaction('edits').objectStore('edits').index('p');
  const found = await Promise.all(subjects.map((subject) => done(index.getAll(subject))));
  return found.flatMap((records, n) => aboutSubject(records, subjects[n])[0]);
}

/** [texts, authors] of one subject's edits (a project's history), in any order. */
export async function idbSubject(subject) {
  return aboutSubject(await done(db.transaction('edits').objectStore('edits').index('p').getAll(subject)), subject);
}

/** Puts one value of `state` (the snapshot). */
export function idbPut(key, value) {
  return write('state', (tx) => tx.objectStore('state').put(value, key));
}
