// A CouchDB-speaking test server in memory: express-pouchdb over PouchDB,
// on 127.0.0.1 only. Two flavours, because the client must stand both:
// - "pouch": as express-pouchdb answers (integer sequences; a repeated
//   create refused by the design check as "forbidden"; a non-member gets
//   401; longpoll ignores `timeout`; `_bulk_docs` rows in its own order);
// - "couch3": a proxy in front that answers as CouchDB 3 does (opaque string
//   sequences; `conflict` rows for a repeated create; 403 for a signed-in
//   non-member; longpoll honours `timeout`).
//
//   node tests/server/couch.mjs [--port 5984] [--flavour couch3 [--shards 8]] [--session-seconds 600]
// prints `listening <url>` once it answers. Admin: COUCHDB_ADMIN_USER /
// COUCHDB_ADMIN_PASSWORD (default admin / admin-test-only).

import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-core';
import memory from 'pouchdb-adapter-memory';
import http from 'pouchdb-adapter-http';
import mapreduce from 'pouchdb-mapreduce';
import replication from 'pouchdb-replication';
import { createServer, request as httpRequest } from 'node:http';

const HOST = '127.0.0.1';

// express-pouchdb's longpoll starts a heartbeat interval that it clears only
// if the connection closes after the feed started listening; a client that
// goes away sooner (a browser closed, a server taken down) leaves it running
// for good, and node never exits. Its intervals are unref'd: a server that
// still listens keeps the process alive by itself.
const setIntervalOf = globalThis.setInterval;
globalThis.setInterval = function setInterval(...args) {
  const handle = setIntervalOf(...args);
  if (new Error().stack.includes('express-pouchdb')) handle.unref();
  return handle;
};
// Plugins change PouchDB itself: once per process.
let servers = 0;
const Base = PouchDB.plugin(memory).plugin(http).plugin(mapreduce).plugin(replication);

/** An end of a replication as CouchDB 3 takes it: a URL, or {url, auth: {basic}} or {url, headers}. */
function endOf(spec) {
  if (typeof spec === 'string') return new Base(spec);
  const basic = spec.auth?.basic;
  return new Base(spec.url, basic ? { auth: { username: basic.username, password: basic.password } } : { fetch: (url, opts) => {
    for (const [k, v] of Object.entries(spec.headers ?? {})) opts.headers.set(k, v);
    return Base.fetch(url, opts);
  } });
}

/**
 * CouchDB's replicator as these tests need it (express-pouchdb's takes
 * neither `auth` objects nor its own prefixed names): `POST /_replicate`
 * runs one replication and answers when done; a document put into
 * `_replicator` starts one (continuous when it says so) that runs until the
 * server closes. Both replicate over HTTP, so the target's rules judge each
 * document as they do in CouchDB.
 */
function replicator({ admin, password }) {
  const jobs = new Map();
  let created = false;
  const asAdmin = 'Basic ' + Buffer.from(`${admin}:${password}`).toString('base64');
  const body = async (req) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  };
  const handle = async (req, res, next) => {
    const path = req.path;
    if (path !== '/_replicate' && !path.startsWith('/_replicator')) return next();
    if (req.headers.authorization !== asAdmin) return res.status(401).json({ error: 'unauthorized', reason: 'You are not a server admin.' });
    if (req.method === 'POST' && path === '/_replicate') {
      const spec = await body(req);
      try {
        const done = await Base.replicate(endOf(spec.source), endOf(spec.target));
        return res.status(200).json({ ok: true, docs_read: done.docs_read, docs_written: done.docs_written, doc_write_failures: done.doc_write_failures });
      } catch (e) {
        return res.status(500).json({ error: 'replication_failed', reason: String(e.message ?? e) });
      }
    }
    const job = /^\/_replicator\/([^/]+)$/.exec(path);
    if (path === '/_replicator' && req.method === 'PUT') {
      res.status(created ? 412 : 201).json(created ? { error: 'file_exists' } : { ok: true });
      created = true;
      return undefined;
    }
    if (!job) return next();
    const id = decodeURIComponent(job[1]);
    if (req.method === 'GET') {
      const held = jobs.get(id);
      return held ? res.json(held.doc) : res.status(404).json({ error: 'not_found', reason: 'missing' });
    }
    if (req.method === 'DELETE') {
      jobs.get(id)?.run.cancel();
      jobs.delete(id);
      return res.json({ ok: true, id });
    }
    if (req.method === 'PUT') {
      const doc = await body(req);
      jobs.get(id)?.run.cancel();
      const rev = `${Number((jobs.get(id)?.doc._rev ?? '0').split('-')[0]) + 1}-job`;
      const run = Base.replicate(endOf(doc.source), endOf(doc.target), { live: !!doc.continuous, retry: true });
      run.catch?.(() => {});
      jobs.set(id, { doc: { ...doc, _id: id, _rev: rev }, run });
      return res.status(201).json({ ok: true, id, rev });
    }
    return next();
  };
  const middleware = (req, res, next) => handle(req, res, next).catch(next);
  middleware.close = () => { for (const { run } of jobs.values()) run.cancel(); jobs.clear(); };
  return middleware;
}

function cors(req, res, next) {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept, Authorization');
    res.setHeader('Vary', 'Origin');
  }
  if (req.method === 'OPTIONS') return res.status(204).end();
  next();
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve(server.address().port));
  });
}

/** Starts the inner express-pouchdb server; resolves to {port, close}. */
async function startPouch(port, { admin, password, sessionSeconds }) {
  // memdown keeps databases per name for the whole process: a prefix gives
  // each server its own.
  const Pouch = Base.defaults({ adapter: 'memory', prefix: `server${++servers}-` });
  const app = express();
  app.use(cors);
  const jobs = replicator({ admin, password });
  app.use(jobs);
  const couch = expressPouchDB(Pouch, { inMemoryConfig: true, mode: 'fullCouchDB',
    logPath: '/dev/null', overrideMode: { exclude: ['routes/fauxton', 'routes/http-log'] } });
  app.use(couch);
  const set = (section, key, value) => new Promise((ok, fail) =>
    couch.couchConfig.set(section, key, value, (e) => (e ? fail(e) : ok())));
  await set('admins', admin, password);
  await set('couch_httpd_auth', 'timeout', sessionSeconds);
  const served = await serve(createServer(app), port);
  return { ...served, close: () => { jobs.close(); return served.close(); } };
}

/**
 * Listens on `port`; {port, down, up, cutNextPush, close}. `down` stops
 * answering (as a server that died, connections cut) and `up` listens again
 * on the same port with the same databases: a restart that keeps its data, as
 * CouchDB's does. `cutNextPush` makes the next `_bulk_docs` the one the
 * server dies in: its documents are written, the answer never leaves, the
 * server goes down; it resolves then.
 */
async function serve(server, port) {
  const bound = await listen(server, port);
  const down = () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); });
  let cut = null;
  server.prependListener('request', (req, res) => {
    if (!cut || req.method !== 'POST' || !req.url.split('?')[0].endsWith('/_bulk_docs')) return;
    const died = cut;
    cut = null;
    res.end = () => { req.socket.destroy(); down().then(died); return res; };
  });
  const cutNextPush = () => new Promise((ok) => { cut = ok; });
  return { port: bound, down, up: () => listen(server, bound), cutNextPush, close: () => (server.listening ? down() : undefined) };
}

const OPAQUE = 'g1AAAABteJzLYWBgYMpgTmHgz8tPSTV0MDQy1zMAQsMcoEQiQ1L9_P';
const toCouch3Seq = (seq) => (typeof seq === 'number' ? `${seq}-${OPAQUE}${(seq * 7919).toString(36)}` : seq);
const fromCouch3Seq = (text) => (/^\d+-/.test(text) ? text.split('-')[0] : text);

/**
 * `_changes` as a CouchDB database of `shards` shards serves it: each shard
 * in its own write order, the shards interleaved (one from each in turn), so
 * an edit can come after one written later; sequences are opaque strings of
 * every shard's position. Reads the inner server's feed (with the client's
 * own credentials) into a cache per database; a database made anew (its
 * feed shorter than the cache) starts a new cache. Answers `null` when the
 * inner server refuses, for the plain path to answer as it does.
 */
function shardedFeed(inner, shards) {
  const caches = new Map();
  const shardOf = (id) => [...id].reduce((h, c) => (h * 31 + c.codePointAt(0)) >>> 0, 7) % shards;
  const encode = (vector) => `${vector.reduce((a, b) => a + b, 0)}-${Buffer.from(JSON.stringify(vector)).toString('base64url')}`;
  const decode = (since) => {
    if (!since || since === '0') return Array(shards).fill(0);
    try {
      const vector = JSON.parse(Buffer.from(since.split('-').slice(1).join('-'), 'base64url').toString('utf8'));
      if (Array.isArray(vector) && vector.length === shards) return vector;
    } catch { /* not one of ours */ }
    return Array(shards).fill(0);
  };
  // One refresh at a time per database: two clients' longpolls refreshing
  // at once both read the inner feed from the same sequence and would each
  // append its rows, so every change after it was served twice or more.
  const refreshing = new Map();
  function refresh(db, headers) {
    const next = (refreshing.get(db) ?? Promise.resolve()).catch(() => {}).then(() => refreshNow(db, headers));
    refreshing.set(db, next);
    return next;
  }
  async function refreshNow(db, headers) {
    let cache = caches.get(db) ?? { innerSeq: 0, rows: Array.from({ length: shards }, () => []) };
    const res = await fetch(`http://${HOST}:${inner}/${db}/_changes?include_docs=true&since=${cache.innerSeq}`, { headers });
    if (res.status !== 200) return null;
    const feed = await res.json();
    if (typeof feed.last_seq === 'number' && feed.last_seq < cache.innerSeq) {
      caches.delete(db);
      return refreshNow(db, headers);
    }
    for (const row of feed.results) {
      const { seq, ...rest } = row;
      cache.rows[shardOf(row.id)].push(rest);
    }
    cache.innerSeq = feed.last_seq;
    caches.set(db, cache);
    return cache;
  }
  return async function changes(db, params, headers, gone) {
    const until = Date.now() + Number(params.get('timeout') || 60000);
    const limit = Number(params.get('limit') || Infinity);
    const vector = decode(params.get('since'));
    for (;;) {
      // The inner server stopped (a test's end): the plain path answers.
      const cache = await refresh(db, headers).catch(() => null);
      if (!cache || gone()) return null;
      const at = [...vector];
      const results = [];
      for (let more = true; more && results.length < limit;) {
        more = false;
        for (let shard = 0; shard < shards && results.length < limit; shard += 1) {
          const row = cache.rows[shard][at[shard]];
          if (!row) continue;
          at[shard] += 1;
          more = true;
          const out = { seq: encode(at), ...row };
          if (params.get('include_docs') !== 'true') delete out.doc;
          results.push(out);
        }
      }
      const pending = cache.rows.reduce((n, rows, shard) => n + rows.length - at[shard], 0);
      if (results.length || params.get('feed') !== 'longpoll' || Date.now() >= until) {
        return { results, last_seq: encode(at), pending };
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
  };
}

/** The CouchDB 3 face in front of an inner server; with `shards` > 1 its feed interleaves them. */
async function startCouch3Proxy(port, inner, { shards = 1 } = {}) {
  const sharded = shards > 1 ? shardedFeed(inner, shards) : null;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, `http://${HOST}`);
    const feed = /^\/([^/_][^/]*)\/_changes$/.exec(url.pathname);
    if (sharded && feed && req.method === 'GET') {
      const headers = { ...req.headers };
      delete headers.host;
      let closed = false;
      res.on('close', () => { closed = true; });
      const answer = await sharded(feed[1], url.searchParams, headers, () => closed);
      if (closed) return undefined;
      if (answer) {
        res.writeHead(200, { 'Content-Type': 'application/json', ...corsOf(req) });
        return res.end(JSON.stringify(answer));
      }
    }
    const since = url.searchParams.get('since');
    if (since) url.searchParams.set('since', fromCouch3Seq(since));
    const longpoll = url.pathname.endsWith('/_changes') && url.searchParams.get('feed') === 'longpoll';
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = { ...req.headers };
    delete headers['content-length'];
    delete headers.host;
    const timeout = Number(url.searchParams.get('timeout') || 60000);
    let answer;
    try {
      answer = await fetch(`http://${HOST}:${inner}${url.pathname}${url.search}`, {
        method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined,
        signal: longpoll ? AbortSignal.timeout(timeout) : undefined, redirect: 'manual',
      });
    } catch (e) {
      if (longpoll && e.name === 'TimeoutError') {
        res.writeHead(200, { 'Content-Type': 'application/json', ...corsOf(req) });
        return res.end(JSON.stringify({ results: [], last_seq: since || '0', pending: 0 }));
      }
      res.writeHead(502);
      return res.end();
    }
    let body = Buffer.from(await answer.arrayBuffer());
    let status = answer.status;
    // CouchDB writes JSON as text/plain unless asked for application/json.
    let json = null;
    try { json = JSON.parse(body.toString('utf8')); } catch { json = null; }
    if (json !== null && typeof json === 'object') {
      if (url.pathname.endsWith('/_changes')) {
        json.last_seq = toCouch3Seq(json.last_seq);
        for (const row of json.results || []) row.seq = toCouch3Seq(row.seq);
      } else if (url.pathname.endsWith('/_bulk_docs') && Array.isArray(json)) {
        json = json.map((row) => (/^immutable/.test(row.reason || row.message || '')
          ? { id: row.id, error: 'conflict', reason: 'Document update conflict.' } : row));
        // CouchDB 3 refuses the whole request of someone not signed in.
        if (json.length && json.every((row) => row.error === 'unauthorized')) {
          status = 401;
          json = { error: 'unauthorized', reason: 'You are not authorized to access this db.' };
        }
      }
      // A signed-in person who is no member gets 403 from CouchDB 3.
      if (status === 401 && /cookie|AuthSession/.test(req.headers.cookie || '') && json.reason !== 'Name or password is incorrect.') {
        status = 403;
        json = { error: 'forbidden', reason: 'You are not allowed to access this db.' };
      }
      body = Buffer.from(JSON.stringify(json));
    }
    const out = {};
    answer.headers.forEach((value, key) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(key)) out[key] = value;
    });
    const cookie = answer.headers.getSetCookie?.();
    if (cookie && cookie.length) out['set-cookie'] = cookie;
    res.writeHead(status, out);
    res.end(body);
  });
  return serve(server, port);
}

function corsOf(req) {
  return req.headers.origin
    ? { 'Access-Control-Allow-Origin': req.headers.origin, 'Access-Control-Allow-Credentials': 'true' } : {};
}

/**
 * A real CouchDB (`target`, as ../shared/couchdb/start.sh runs it) behind a
 * pass-through proxy, so that it can die and come back (and die in a push)
 * as the test servers do: every request and answer goes through unchanged.
 */
async function startRealProxy(port, target) {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const forward = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: to.host } }, (answer) => {
      res.writeHead(answer.statusCode, answer.rawHeaders);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    // The device went away (or the proxy went down): stop waiting on CouchDB.
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  return serve(server, port);
}

/**
 * Starts a server; resolves to {url, admin: {name, password}, down, up,
 * cutNextPush, loseEverything, close} (and `db` for flavour `real`: a
 * database of its own on the real CouchDB at COUCHDB_URL). `port` 0 picks a free one; `shards`
 * (couch3 only) interleaves the feed as a database of that many shards does.
 * `loseEverything` restarts it empty on the same address (a server whose
 * disk is gone, or another one put in its place): no databases, no users,
 * the admin alone; set it up again.
 */
export async function startCouch({ port = 0, flavour = 'pouch', sessionSeconds = 600, shards = 1 } = {}) {
  const admin = process.env.COUCHDB_ADMIN_USER || 'admin';
  const password = process.env.COUCHDB_ADMIN_PASSWORD || 'admin-test-only';
  if (shards > 1 && flavour !== 'couch3') throw new Error('shards are a CouchDB 3 way: use flavour couch3');
  if (flavour === 'real') {
    // COUCHDB_URL: a real CouchDB; a database of this run's own (`db`).
    const real = process.env.COUCHDB_URL;
    if (!real) throw new Error('flavour real needs COUCHDB_URL (and COUCHDB_ADMIN_USER / COUCHDB_ADMIN_PASSWORD)');
    const proxy = await startRealProxy(port, real);
    return { url: `http://${HOST}:${proxy.port}`, admin: { name: admin, password }, db: `project-ledger-test-${Date.now()}`,
      down: proxy.down, up: proxy.up, cutNextPush: proxy.cutNextPush,
      loseEverything: () => { throw new Error('a real CouchDB is not wiped by a test'); }, close: proxy.close };
  }
  const options = { admin, password, sessionSeconds };
  if (flavour === 'couch3') {
    let inner = await startPouch(0, options);
    const proxy = await startCouch3Proxy(port, inner.port, { shards });
    const loseEverything = async () => { await inner.close(); inner = await startPouch(inner.port, options); };
    return { url: `http://${HOST}:${proxy.port}`, admin: { name: admin, password }, down: proxy.down, up: proxy.up,
      cutNextPush: proxy.cutNextPush, loseEverything, close: async () => { await proxy.close(); await inner.close(); } };
  }
  let inner = await startPouch(port, options);
  const loseEverything = async () => { await inner.close(); inner = await startPouch(inner.port, options); };
  return { url: `http://${HOST}:${inner.port}`, admin: { name: admin, password }, down: () => inner.down(), up: () => inner.up(),
    cutNextPush: () => inner.cutNextPush(), loseEverything, close: () => inner.close() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // express-pouchdb throws from a callback on some requests it refuses (an
  // anonymous database create): a test server says so and goes on.
  process.on('uncaughtException', (e) => console.error('test server:', e.message));
  const arg = (name, fallback) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? process.argv[at + 1] : fallback;
  };
  const couch = await startCouch({ port: Number(arg('port', 5984)), flavour: arg('flavour', 'pouch'),
    sessionSeconds: Number(arg('session-seconds', 600)), shards: Number(arg('shards', 1)) });
  console.log(`listening ${couch.url}`);
  const stop = async () => { await couch.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
