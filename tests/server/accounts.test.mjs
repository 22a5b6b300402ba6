// The accounts command (server/couchdb/accounts.mjs) against the test
// server, run as the IT person runs it: the office's accounts file
// (tests/fixtures/accounts-file.json, which tests/accounts.rs checks is what
// the office app exports) → users with their roles and passwords written
// only to the passwords file; run again, changed, shortened, refused.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCouch } from './couch.mjs';
import { setup } from '../../server/couchdb/setup.mjs';
import { readAccounts } from '../../server/couchdb/accounts.mjs';

const run = promisify(execFile);
const command = new URL('../../server/couchdb/accounts.mjs', import.meta.url).pathname;
const exported = readFileSync(new URL('../fixtures/accounts-file.json', import.meta.url), 'utf8');

describe('the accounts command', () => {
  let couch, dir, env;
  before(async () => {
    couch = await startCouch({ flavour: 'couch3' });
    env = { ...process.env, COUCHDB_URL: couch.url, COUCHDB_ADMIN_USER: couch.admin.name, COUCHDB_ADMIN_PASSWORD: couch.admin.password };
    await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, exampleUsers: true, examplePassword: 'example-pw' });
    dir = mkdtempSync(join(tmpdir(), 'accounts-'));
  });
  after(() => couch?.close());

  const accounts = async (file, out) => {
    try {
      const r = await run('node', [command, '--accounts', file, '--passwords-out', out], { env });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      return { code: e.code, out: e.stdout, err: e.stderr };
    }
  };
  const file = (name, body) => { const path = join(dir, name); writeFileSync(path, body); return path; };
  const withAccounts = (change) => { const f = JSON.parse(exported); change(f); return JSON.stringify(f); };
  const signIn = async (name, password) => {
    const res = await fetch(`${couch.url}/_session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }) });
    return { status: res.status, body: await res.json() };
  };
  const passwordsIn = (path) => Object.fromEntries(readFileSync(path, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n').slice(1)
    .map((line) => line.split(',')).map(([name, login, password]) => [login, { name, password }]));
  const userDoc = async (login) => (await fetch(`${couch.url}/_users/org.couchdb.user:${login}`, {
    headers: { Authorization: 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64') },
  })).json();

  let first;
  test('creates each person\'s user with their role; passwords go to the file only', async () => {
    const out = join(dir, 'passwords-1.csv');
    const r = await accounts(file('accounts.json', exported), out);
    assert.equal(r.code, 0, r.err);
    first = passwordsIn(out);
    assert.deepEqual(Object.keys(first).sort(), ['liuyang', 'sunlx', 'wangxm']);
    assert.equal(first.wangxm.name, '王晓明');
    assert.equal(statSync(out).mode & 0o777, 0o600);
    for (const { password } of Object.values(first)) {
      assert.match(password, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      assert.ok(!r.out.includes(password) && !r.err.includes(password), 'a password reached the terminal');
    }
    assert.match(r.out, /no account for 赵敏: 未填同步用户名/);
    const roles = {};
    for (const [login, { password }] of Object.entries(first)) {
      const s = await signIn(login, password);
      assert.equal(s.status, 200, login);
      roles[login] = s.body.roles;
    }
    assert.deepEqual(roles, { wangxm: ['district-Haicheng'], sunlx: ['district-Taian'], liuyang: ['city-leader'] });
    assert.equal((await userDoc('wangxm')).ledger_person, 'person-hc-w1-1');
  });

  test('run again, it changes nothing and writes no passwords', async () => {
    const out = join(dir, 'passwords-2.csv');
    const r = await accounts(join(dir, 'accounts.json'), out);
    assert.equal(r.code, 0, r.err);
    assert.equal((r.out.match(/^unchanged /gm) ?? []).length, 3, r.out);
    assert.match(r.out, /no new passwords/);
    assert.equal(existsSync(out), false);
    assert.equal((await signIn('wangxm', first.wangxm.password)).status, 200);
  });

  test('a person who moves district gets the new role and keeps the password', async () => {
    const moved = file('moved.json', withAccounts((f) => { f.accounts[0].server_role = 'district-Tiexi'; }));
    const r = await accounts(moved, join(dir, 'passwords-3.csv'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^updated wangxm \(王晓明, district-Haicheng → district-Tiexi\)/m);
    const s = await signIn('wangxm', first.wangxm.password);
    assert.deepEqual(s.body.roles, ['district-Tiexi']);
  });

  test('a person taken off the roster is disabled, not deleted; back on it, they get a new password', async () => {
    const shorter = file('shorter.json', withAccounts((f) => { f.accounts = f.accounts.filter((a) => a.login !== 'sunlx'); }));
    const r = await accounts(shorter, join(dir, 'passwords-4.csv'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^disabled sunlx \(孙立新: no longer on the roster; kept, not deleted\)/m);
    assert.equal((await signIn('sunlx', first.sunlx.password)).status, 401);
    const doc = await userDoc('sunlx');
    assert.deepEqual(doc.roles, []);
    assert.ok(doc.ledger_disabled);
    const out = join(dir, 'passwords-5.csv');
    const back = await accounts(join(dir, 'accounts.json'), out);
    assert.match(back.out, /^enabled again sunlx/m);
    const again = passwordsIn(out);
    assert.deepEqual(Object.keys(again), ['sunlx']);
    assert.notEqual(again.sunlx.password, first.sunlx.password);
    assert.deepEqual((await signIn('sunlx', again.sunlx.password)).body.roles, ['district-Taian']);
  });

  test('a user it did not make is left alone, even when a login names it', async () => {
    const admin = 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64');
    const made = await fetch(`${couch.url}/_users/org.couchdb.user:office.zhang`, { method: 'PUT', headers: { Authorization: admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'office.zhang', type: 'user', roles: ['city-office'], password: 'by-hand' }) });
    assert.equal(made.status, 201);
    const clash = file('clash.json', withAccounts((f) => { f.accounts[2].login = 'office.zhang'; }));
    const r = await accounts(clash, join(dir, 'passwords-6.csv'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^left alone office\.zhang: a user of that name exists and is not 刘洋's \(not made from the roster\); give 刘洋 another 用户名/m);
    assert.deepEqual((await signIn('office.zhang', 'by-hand')).body.roles, ['city-office']);
    // 刘洋's own account, no longer on this roster under liuyang, is disabled.
    assert.match(r.out, /^disabled liuyang/m);
  });

  test('a wrong file or an existing passwords file changes nothing', async () => {
    const out = join(dir, 'passwords-7.csv');
    const duplicate = file('dup.json', withAccounts((f) => { f.accounts[1].login = 'wangxm'; }));
    let r = await accounts(duplicate, out);
    assert.equal(r.code, 1);
    assert.match(r.err, /账号名单有误，未做任何改动：\n孙立新（wangxm）：用户名与王晓明重复/);
    r = await accounts(file('other.json', '{"format":"project-ledger-backup"}'), out);
    assert.match(r.err, /不是账号名单文件/);
    const badRole = file('role.json', withAccounts((f) => { f.accounts[0].server_role = 'district-铁东区'; }));
    r = await accounts(badRole, out);
    assert.match(r.err, /王晓明（wangxm）：服务器角色无效（district-铁东区）/);
    writeFileSync(out, 'earlier passwords');
    const newcomer = file('newcomer.json', withAccounts((f) => { f.accounts.push({ ...f.accounts[0], person: 'person-hc-w1-9', name: '新人', login: 'xinren' }); }));
    r = await accounts(newcomer, out);
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot create .*passwords-7\.csv \(EEXIST\)/);
    assert.equal(readFileSync(out, 'utf8'), 'earlier passwords');
    assert.equal((await userDoc('xinren')).error, 'not_found');
  });

  test('reads exactly what the office exports', () => {
    const f = readAccounts(exported);
    assert.equal(f.accounts.length, 3);
    assert.equal(f.left_out[0].name, '赵敏');
  });
});
