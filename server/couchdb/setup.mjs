#!/usr/bin/env node
// Sets up the project ledger's database on a CouchDB server: creates the
// database, its security object (security.json), the design document with
// the access rules (validate.js) and, with --example-users, one user per
// role. Idempotent: run it again after changing the rules; what is already
// right is left alone.
//
//   COUCHDB_URL=https://couch.example.cn COUCHDB_ADMIN_USER=admin COUCHDB_ADMIN_PASSWORD=… \
//     node server/couchdb/setup.mjs [--db project-ledger] [--example-users] [--backup-db NAME]
//
// --backup-db NAME also sets up NAME as the ledger's backup (same security
// and rules) and a continuous CouchDB replication into it (a `_replicator`
// document, `ledger-backup-<db>`), run by the server itself as the admin
// given, whose writes the rules take as they are (validate.js). CouchDB
// reaches itself at COUCHDB_LOCAL_URL when set (e.g. http://127.0.0.1:5984
// behind a proxy), else at COUCHDB_URL.
//
// --restore-from NAME fills the database (made anew if it was lost) from
// NAME by a one-off replication, and fails unless every document arrived.
//
// Example users get the password in COUCHDB_EXAMPLE_PASSWORD (required with
// --example-users); change or delete them before real use.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const DESIGN_ID = '_design/ledger';

/** The design document as it is shipped. */
export function designDocument() {
  return {
    _id: DESIGN_ID,
    language: 'javascript',
    validate_doc_update: readFileSync(join(here, 'validate.js'), 'utf8')
      .replace(/^(\s*\/\/.*\n)+/, '').trim(),
  };
}

export const security = () => JSON.parse(readFileSync(join(here, 'security.json'), 'utf8'));

/** One example user per role: name, roles. */
export const EXAMPLE_USERS = [
  { name: 'city-office-1', roles: ['city-office'] },
  { name: 'city-leader-1', roles: ['city-leader'] },
  ...['Haicheng', 'Taian', 'Xiuyan', 'Tiedong', 'Tiexi', 'Lishan', 'Qianshan', 'HighTech', 'EconomicZone']
    .map((key) => ({ name: `district-${key}-1`, roles: [`district-${key}`] })),
];

/** Runs the set-up; returns what it did, one line per step. */
/** The `_replicator` document that keeps `backup` a copy of `db`. */
export function backupJob({ localUrl, admin, password, db, backup }) {
  return { _id: `ledger-backup-${db}`, ...ends({ localUrl, admin, password, from: db, to: backup }), continuous: true };
}

/** A replication's source and target on this server, as CouchDB 3 takes them. */
function ends({ localUrl, admin, password, from, to }) {
  const end = (name) => ({ url: `${localUrl.replace(/\/+$/, '')}/${encodeURIComponent(name)}`, auth: { basic: { username: admin, password } } });
  return { source: end(from), target: end(to) };
}

/** `call(method, path, body)` → {status, json}: a request to the server as its admin. */
export function adminClient({ url, admin, password }) {
  const base = url.replace(/\/+$/, '');
  const auth = 'Basic ' + Buffer.from(`${admin}:${password}`).toString('base64');
  return async (method, path, body) => {
    const res = await fetch(`${base}/${path}`, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
}

export async function setup({ url, admin, password, db = 'project-ledger', exampleUsers = false, examplePassword, backupDb, restoreFrom, localUrl }) {
  const call = adminClient({ url, admin, password });
  const fail = (what, r) => { throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.json)}`); };
  const done = [];
  const name = encodeURIComponent(db);

  const created = await call('PUT', name);
  if (created.status === 201 || created.status === 202) done.push(`created database ${db}`);
  else if (created.status === 412) done.push(`database ${db} exists`);
  else fail(`create ${db}`, created);

  const wantSecurity = security();
  const haveSecurity = await call('GET', `${name}/_security`);
  if (haveSecurity.status !== 200) fail('read _security', haveSecurity);
  if (JSON.stringify(haveSecurity.json) === JSON.stringify(wantSecurity)) done.push('security object up to date');
  else {
    const put = await call('PUT', `${name}/_security`, wantSecurity);
    if (put.status !== 200) fail('write _security', put);
    done.push('security object written');
  }

  const want = designDocument();
  const have = await call('GET', `${name}/${DESIGN_ID}`);
  if (have.status === 200 && have.json.validate_doc_update === want.validate_doc_update) {
    done.push('design document up to date');
  } else {
    if (have.status !== 200 && have.status !== 404) fail('read the design document', have);
    const body = have.status === 200 ? { ...want, _rev: have.json._rev } : want;
    const put = await call('PUT', `${name}/${DESIGN_ID}`, body);
    if (put.status !== 201 && put.status !== 202) fail('write the design document', put);
    done.push(have.status === 200 ? 'design document updated' : 'design document created');
  }

  if (restoreFrom) {
    if (restoreFrom === db) throw new Error('--restore-from must name another database');
    const body = { ...ends({ localUrl: localUrl || url, admin, password, from: restoreFrom, to: db }) };
    const restored = await call('POST', '_replicate', body);
    if (restored.status !== 200 || !restored.json?.ok) fail(`restore ${db} from ${restoreFrom}`, restored);
    // CouchDB answers with a history of sessions, the test server with the figures alone.
    const figures = restored.json.history?.[0] ?? restored.json;
    const failures = figures.doc_write_failures ?? 0;
    if (failures > 0) fail(`restore ${db} from ${restoreFrom}: ${failures} documents refused`, restored);
    done.push(`restored ${db} from ${restoreFrom}: ${figures.docs_written ?? 0} documents written`);
  }

  if (backupDb) {
    if (backupDb === db) throw new Error('--backup-db must name another database');
    for (const line of await setup({ url, admin, password, db: backupDb })) done.push(`backup: ${line}`);
    const job = backupJob({ localUrl: localUrl || url, admin, password, db, backup: backupDb });
    const replicator = await call('PUT', '_replicator');
    if (![201, 202, 412].includes(replicator.status)) fail('create _replicator', replicator);
    const path = `_replicator/${encodeURIComponent(job._id)}`;
    const had = await call('GET', path);
    const same = had.status === 200 && had.json.source?.url === job.source.url && had.json.target?.url === job.target.url
      && had.json.continuous === true;
    if (same) done.push(`backup replication ${db} → ${backupDb} exists`);
    else {
      if (had.status !== 200 && had.status !== 404) fail('read the backup replication', had);
      const put = await call('PUT', path, had.status === 200 ? { ...job, _rev: had.json._rev } : job);
      if (put.status !== 201 && put.status !== 202) fail('write the backup replication', put);
      done.push(`backup replication ${db} → ${backupDb} ${had.status === 200 ? 'updated' : 'started'} (continuous)`);
    }
  }

  if (exampleUsers) {
    if (!examplePassword) throw new Error('--example-users needs COUCHDB_EXAMPLE_PASSWORD');
    for (const user of EXAMPLE_USERS) {
      const id = `org.couchdb.user:${user.name}`;
      const exists = await call('GET', `_users/${encodeURIComponent(id)}`);
      if (exists.status === 200) { done.push(`user ${user.name} exists`); continue; }
      if (exists.status !== 404) fail(`read user ${user.name}`, exists);
      const put = await call('PUT', `_users/${encodeURIComponent(id)}`,
        { _id: id, name: user.name, type: 'user', roles: user.roles, password: examplePassword });
      if (put.status !== 201 && put.status !== 202) fail(`create user ${user.name}`, put);
      done.push(`created user ${user.name} (${user.roles.join(', ')})`);
    }
  }
  return done;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (flag) => { const at = process.argv.indexOf(flag); return at > 0 ? process.argv[at + 1] : undefined; };
  const env = process.env;
  if (!env.COUCHDB_URL || !env.COUCHDB_ADMIN_USER || !env.COUCHDB_ADMIN_PASSWORD) {
    console.error('Set COUCHDB_URL (the server, not the database), COUCHDB_ADMIN_USER and COUCHDB_ADMIN_PASSWORD.');
    process.exit(2);
  }
  try {
    const done = await setup({
      url: env.COUCHDB_URL, admin: env.COUCHDB_ADMIN_USER, password: env.COUCHDB_ADMIN_PASSWORD,
      db: arg('--db') || 'project-ledger', exampleUsers: process.argv.includes('--example-users'),
      examplePassword: env.COUCHDB_EXAMPLE_PASSWORD,
      backupDb: arg('--backup-db'), restoreFrom: arg('--restore-from'), localUrl: env.COUCHDB_LOCAL_URL,
    });
    for (const line of done) console.log(line);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
