// The shipped nginx configuration (server/nginx/) run by Debian's nginx in
// front of the test server, as README's "Deploying" installs it: only the
// four marked lines and the upstream's port changed, a throwaway
// certificate for 127.0.0.1. Through it the app, the database and _session
// answer, and a phone signs in and syncs; the rest of CouchDB is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as plainRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, ROOT, launch } from './harness.mjs';
import { startCouch } from '../server/couch.mjs';
import { setup } from '../../server/couchdb/setup.mjs';

const DB = 'project-ledger';
const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
let couch, nginx, dir, https, http, browser;

/** A free loopback port. */
const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/** The shipped site file with what README says to change, changed. */
function site({ couchPort }) {
  const shipped = readFileSync(join(ROOT, 'server/nginx/project-ledger.conf'), 'utf8');
  const swaps = [
    ['server 127.0.0.1:5984;', `server 127.0.0.1:${couchPort};`],
    ['listen 80;', `listen 127.0.0.1:${http};`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${https} ssl http2;`],
    ['/etc/ssl/ledger/fullchain.pem', join(dir, 'cert.pem')],
    ['/etc/ssl/ledger/privkey.pem', join(dir, 'key.pem')],
    ['root /srv/project-ledger/dist;', `root ${DIST};`],
  ];
  let text = shipped;
  for (const [from, to] of swaps) {
    assert.ok(text.includes(from), `the shipped file has "${from}"`);
    text = text.replaceAll(from, to);
  }
  return text.replaceAll('/etc/nginx/ledger-proxy.conf', join(ROOT, 'server/nginx/ledger-proxy.conf'));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nginx-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  couch = await startCouch({ flavour: 'couch3' });
  await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, db: DB, exampleUsers: true, examplePassword: 'example-pw' });
  await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, db: 'project-ledger-backup' });
  [https, http] = [await freePort(), await freePort()];
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp));
  writeFileSync(join(dir, 'site.conf'), site({ couchPort: new URL(couch.url).port }));
  writeFileSync(join(dir, 'nginx.conf'), `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events {}
http {
  include /etc/nginx/mime.types; default_type application/octet-stream; access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`);
  execFileSync(NGINX, ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf')]);
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
  for (let i = 0; i < 50; i++) {
    try { await get('/'); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  browser = await launch(['--ignore-certificate-errors']);
});
after(async () => {
  await browser?.close();
  nginx?.kill('SIGQUIT');
  await couch?.close();
});

/** One HTTPS request through nginx: status, headers, body. */
function get(path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: https, path, method, headers, rejectUnauthorized: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const signIn = async (name, password) => {
  const r = await get('/couch/_session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }) });
  return { ...r, cookie: (r.headers['set-cookie'] ?? [])[0]?.split(';')[0] };
};

test('the app answers over HTTPS; plain HTTP sends people there', async () => {
  const home = await get('/');
  assert.equal(home.status, 200);
  assert.match(home.body, /<html/);
  assert.match(home.headers['content-type'], /^text\/html/);
  assert.equal(home.headers['cache-control'], 'no-cache');
  assert.equal((await get('/office/')).status, 200);
  assert.equal((await get('/sw.js')).headers['cache-control'], 'no-cache');
  const wasm = readFileSync(join(DIST, 'index.html'), 'utf8').match(/[\w-]+_bg\.wasm/)[0];
  const w = await get(`/${wasm}`);
  assert.equal(w.status, 200);
  assert.equal(w.headers['content-type'], 'application/wasm');
  assert.match(w.headers['cache-control'], /immutable/);
  const redirect = await new Promise((resolve, reject) => plainRequest({ host: '127.0.0.1', port: http, path: '/office/' }, resolve).on('error', reject).end());
  assert.equal(redirect.statusCode, 301);
  assert.match(redirect.headers.location, /^https:\/\/127\.0\.0\.1.*\/office\/$/);
});

test('the database and _session answer through it', async () => {
  const s = await signIn('district-Haicheng-1', 'example-pw');
  assert.equal(s.status, 200, s.body);
  assert.ok(s.cookie);
  const db = await get(`/couch/${DB}`, { headers: { Cookie: s.cookie } });
  assert.equal(db.status, 200, db.body);
  assert.equal(JSON.parse(db.body).db_name, DB);
  const changes = await get(`/couch/${DB}/_changes?limit=1`, { headers: { Cookie: s.cookie } });
  assert.equal(changes.status, 200);
  assert.ok(Array.isArray(JSON.parse(changes.body).results));
  // A 2 MB request reaches CouchDB (nginx's own limit is 1 MB unless raised).
  const big = await get(`/couch/${DB}/_bulk_docs`, { method: 'POST', headers: { Cookie: s.cookie, 'Content-Type': 'application/json' },
    body: JSON.stringify({ docs: [{ _id: 'x', pad: 'a'.repeat(2_000_000) }] }) });
  assert.notEqual(big.status, 413, big.body.slice(0, 200));
});

test('the rest of CouchDB is refused, signed in as the admin or not', async () => {
  const admin = 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64');
  // Straight to the test server, these answer the admin: the refusal is nginx's.
  const direct = await fetch(`${couch.url}/_all_dbs`, { headers: { Authorization: admin } });
  assert.equal(direct.status, 200);
  for (const path of ['/couch/_users', '/couch/_users/_all_docs', '/couch/_config', '/couch/_node/_local/_config',
    '/couch/_all_dbs', '/couch/_utils/', '/couch/project-ledger-backup', '/couch/project-ledger-backup/_all_docs',
    `/couch/${DB}/../_users/_all_docs`, `/couch/${DB}/%2e%2e/_all_dbs`, '/couch/', '/couch/_replicator', '/couch/_session/../_all_dbs']) {
    const r = await get(path, { headers: { Authorization: admin } });
    assert.equal(r.status, 404, `${path}: ${r.status} ${r.body.slice(0, 120)}`);
    assert.doesNotMatch(r.body, /"db_name"|"rows"|couchdb/i, path);
  }
});

test('a phone opens its sign-in link through it, signs in and syncs', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  const server = `https://127.0.0.1:${https}/couch/${DB}`;
  await page.goto(`https://127.0.0.1:${https}/#/sync?server=${encodeURIComponent(server)}&user=district-Haicheng-1`);
  await page.waitForFunction(() => document.querySelector('#sync-user')?.value === 'district-Haicheng-1');
  await page.fill('#sync-password', 'example-pw');
  await page.getByRole('button', { name: '登录并同步' }).click();
  await page.waitForFunction(() => /已同步/.test(document.querySelector('[data-testid=sync-status]')?.textContent ?? ''), null, { timeout: 15000 });
  await context.close();
});
