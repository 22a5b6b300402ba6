// The access rules of server/couchdb: every rule of validate_doc_update,
// allowed and refused, first as a function (in node's vm, parsed as ES5),
// then over HTTP against the test server in both flavours, set up by
// server/couchdb/setup.mjs.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import * as acorn from 'acorn';
import { startCouch } from './couch.mjs';
import { setup, designDocument, EXAMPLE_USERS } from '../../server/couchdb/setup.mjs';

const source = designDocument().validate_doc_update;
const validate = vm.runInNewContext(`(${source})`);

const edit = (over = {}) => ({ v: 2, i: 'abcd1234:1', d: 'devicexyz', p: 'hc-07', t: 1764547200000, r: [], c: { Notes: '备注' }, ...over });
const doc = (over = {}, editOver = {}) => {
  const e = edit(editOver);
  return { _id: e.i, author: 'wang', district: 'Haicheng', edit: e, ...over };
};
const user = (roles, name = 'wang') => ({ name, roles });

/** The refusal's message, or null when allowed. */
function check(newDoc, oldDoc, ctx) {
  try {
    validate(newDoc, oldDoc, ctx, {});
    return null;
  } catch (e) {
    if (e && (e.forbidden || e.unauthorized)) return e.forbidden ? `forbidden: ${e.forbidden}` : `unauthorized: ${e.unauthorized}`;
    throw e;
  }
}

describe('validate_doc_update as a function', () => {
  test('is ES5, so CouchDB\'s JavaScript engine runs it', () => {
    assert.doesNotThrow(() => acorn.parse(`(${source})`, { ecmaVersion: 5 }));
    assert.throws(() => acorn.parse('(function () { let x = 1; })', { ecmaVersion: 5 }), 'the check can fail');
  });

  test('its district codes are the app\'s', () => {
    const rust = readFileSync(new URL('../../src/domain/vocab/project.rs', import.meta.url), 'utf8');
    const app = Object.fromEntries([...rust.matchAll(/District::(\w+) => "([a-z]{2})"/g)].map((m) => [m[2], m[1]]));
    const js = Object.fromEntries([...source.matchAll(/(\w\w): '(\w+)'/g)].map((m) => [m[1], m[2]]));
    assert.equal(Object.keys(app).length, 9);
    assert.deepEqual(js, app);
  });

  const district = user(['district-Haicheng']);
  test('a district user writes their district\'s projects and people', () => {
    assert.equal(check(doc(), null, district), null);
    assert.equal(check(doc({ _id: 'abcd1234:2' }, { i: 'abcd1234:2', p: 'u-hc-abcd1234-1', c: { Create: { name: '新项目', district: 'Haicheng' } } }), null, district), null);
    assert.equal(check(doc({}, { p: 'person-hc-abcd1234-1', c: { SavePerson: { name: '李', role: 'ServiceTeam', district: 'Haicheng', unit: '', phone: '' } } }), null, district), null);
  });

  test('and nothing of another district, or of none stated', () => {
    assert.match(check(doc({ district: 'Tiexi' }, { p: 'tx-01' }), null, district), /^forbidden: 本区县用户只能修改本区县/);
    assert.match(check(doc({ district: null }, { p: 'wz-01' }), null, district), /^forbidden: 只有市级用户/);
    assert.match(check(doc({ district: null }, { p: 'u-abcd1234-1' }), null, district), /^forbidden: 只有市级用户/);
    assert.match(check(doc({ district: 'Tiexi' }, { p: 'person-tx-abcd1234-1' }), null, district), /^forbidden: 本区县/);
  });

  test('the document\'s district must be the one its subject\'s id names', () => {
    assert.match(check(doc({ district: 'Tiexi' }), null, user(['city-office'])), /^forbidden: district 与对象编号/);
    assert.match(check(doc({ district: null }), null, district), /^forbidden: district 与对象编号/);
    assert.match(check(doc({}, { p: 'u-hc-abcd1234-1', c: { Create: { name: '新', district: 'Tiexi' } } }), null, user(['city-office'])), /^forbidden: 所填区县/);
    assert.match(check(doc({}, { p: 'person-hc-abcd1234-1', c: { SavePerson: { name: '李', role: 'ServiceTeam', district: null, unit: '', phone: '' } } }), null, district), /^forbidden: 所填区县/);
  });

  test('city office and city leaders write everywhere; only the city office writes campaign settings', () => {
    for (const role of ['city-office', 'city-leader']) {
      assert.equal(check(doc({ district: 'Tiexi' }, { p: 'tx-01' }), null, user([role])), null, role);
      assert.equal(check(doc({ district: null }, { p: 'wz-01' }), null, user([role])), null, role);
    }
    const settings = doc({ district: null }, { p: 'ledger:campaign', c: { CampaignSettings: { start: '2026-03-01', days: 100 } } });
    assert.equal(check(settings, null, user(['city-office'])), null);
    assert.match(check(settings, null, user(['city-leader'])), /^forbidden: 只有市项目办/);
    assert.match(check(settings, null, district), /^forbidden: 只有市项目办/);
  });

  test('login required; a user with no ledger role writes nothing', () => {
    assert.match(check(doc(), null, { name: null, roles: [] }), /^unauthorized: /);
    assert.match(check(doc(), null, user([])), /^forbidden: 本区县用户只能/);
    assert.match(check(doc(), null, user(['district-Tiexi'])), /^forbidden: 本区县用户只能/);
  });

  test('no deletes, no change to an existing edit', () => {
    assert.match(check({ ...doc(), _deleted: true }, doc(), district), /^forbidden: 修改记录不能删除/);
    assert.match(check(doc(), doc(), district), /^forbidden: immutable/);
    assert.match(check(doc({}, { c: { Notes: '改过' } }), doc(), user(['city-office'])), /^forbidden: immutable/);
  });

  test('the id and the edit agree, and the author is who is signed in', () => {
    assert.match(check(doc({ _id: 'other123:1' }), null, district), /^forbidden: 文档编号必须/);
    assert.match(check(doc({ author: 'li' }), null, district), /^forbidden: author/);
    assert.match(check(doc({ author: undefined }), null, district), /^forbidden: author/);
  });

  test('typed fields', () => {
    const bad = [
      [{ edit: 'text' }, /edit 必须/],
      [{ _id: 'ab:01' }, /编号无效/, { i: 'ab:01' }],
      [{}, /格式版本/, { v: 1.5 }],
      [{}, /缺少设备/, { d: '' }],
      [{}, /缺少设备/, { d: 7 }],
      [{}, /缺少对象/, { p: '' }],
      [{}, /时间无效/, { t: '2026' }],
      [{}, /时间无效/, { t: 1.5 }],
      [{}, /缺少内容/, { c: 3 }],
      [{}, /缺少内容/, { c: null }],
      [{}, /r 必须/, { r: 'abcd1234:0' }],
      [{}, /r 必须/, { r: ['nope'] }],
    ];
    for (const [over, reason, editOver] of bad) {
      const d = doc(over, editOver);
      assert.match(check(d, null, user(['city-office'])) || 'allowed', reason, JSON.stringify(d));
    }
    // Format 1 (no v, no r) and a newer format still pass: older devices' edits travel on.
    assert.equal(check(doc({}, { v: undefined, r: undefined }), null, district), null);
    assert.equal(check(doc({}, { v: 4 }), null, district), null);
  });

  test('format 3 names its maker, who may be someone other than the uploader; the uploader is the author', () => {
    const made = (a) => doc({}, { v: 3, a });
    for (const a of [{ u: 'wang' }, { u: 'city-office-1', n: '孙立新' }, { n: '孙立新' }, {}]) {
      assert.equal(check(made(a), null, district), null, JSON.stringify(a));
    }
    // Carried in a bundle, the maker stays; the uploader must still be who is signed in.
    assert.match(check(doc({ author: 'city-office-1' }, { v: 3, a: { u: 'city-office-1' } }), null, district), /^forbidden: author/);
    for (const [a, reason] of [[undefined, /缺少录入人/], ['孙立新', /缺少录入人/], [null, /缺少录入人/], [{ u: '' }, /录入人无效/],
      [{ n: 'x'.repeat(201) }, /录入人无效/], [{ n: '孙立新', role: 'x' }, /录入人无效/], [{ u: 7 }, /录入人无效/]]) {
      assert.match(check(made(a), null, district) || 'allowed', reason, JSON.stringify(a));
    }
  });

  test('replication writes each edit as it is: a server admin or a ledger-replicator keeps the maker as author, in any district', () => {
    for (const roles of [['_admin'], ['ledger-replicator']]) {
      const replicating = user(roles, 'backup-job');
      assert.equal(check(doc({ author: 'district-Haicheng-1' }), null, replicating), null, roles[0]);
      assert.equal(check(doc({ author: 'wang', district: 'Tiexi' }, { p: 'tx-01' }), null, replicating), null, roles[0]);
      const settings = doc({ author: 'city-office-1', district: null }, { p: 'ledger:campaign', c: { CampaignSettings: { start: '2026-03-01', days: 100 } } });
      assert.equal(check(settings, null, replicating), null, roles[0]);
      // The shape and the bounds hold for them too; an author must be named.
      assert.match(check(doc({ author: '' }), null, replicating), /^forbidden: author/);
      assert.match(check(doc({ author: 'wang' }, { d: 'x'.repeat(65) }), null, replicating), /^forbidden: 修改记录缺少设备/);
      assert.match(check(doc(), doc(), replicating), /^forbidden: immutable/);
    }
    // Anyone else still writes only as themselves.
    assert.match(check(doc({ author: 'district-Haicheng-1' }), null, user(['city-office'], 'city-office-1')), /^forbidden: author/);
    assert.match(check(doc({ author: 'district-Haicheng-1' }), null, user(['city-leader', 'replicator'], 'x')), /^forbidden: author/);
  });

  test('bounds: what a person typing could not make is refused', () => {
    const office = user(['city-office']);
    const long = 'x'.repeat(5001);
    const refused = [
      [{}, { c: { Notes: long } }],
      [{}, { c: { Notes: 'x'.repeat(10 * 1024 * 1024) } }],
      [{}, { c: { AddRecord: { date: '2026-04-01', kind: 'Visit', who: null, notes: long } } }],
      [{}, { d: 'd'.repeat(1000000) }],
      [{}, { p: 'hc-' + '7'.repeat(100) }],
      [{}, { c: { Assign: Array.from({ length: 65 }, (_, n) => `p${n}`) } }],
      [{}, { r: Array.from({ length: 65 }, (_, n) => `abcd1234:${n}`) }],
      [{}, { c: { A: { B: { C: { D: { E: { F: { G: 'deep' } } } } } } } }],
      [{}, { c: Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`k${n}`, 'y'.repeat(4000)])) }],
      [{ extra: 'z'.repeat(50000) }, {}],
    ];
    for (const [over, editOver] of refused) {
      const d = doc(over, editOver);
      assert.match(check(d, null, office) || 'allowed', /^forbidden: /, JSON.stringify(d).slice(0, 120));
      assert.match(check(d, null, user(['_admin'])) || 'allowed', /^forbidden: /, 'replication too');
    }
    // At the bounds: allowed.
    assert.equal(check(doc({}, { c: { Notes: 'x'.repeat(5000) } }), null, office), null);
    assert.equal(check(doc({}, { c: { Supervise: { blocker: 'b1', supervision: { level: 'City', unit: '市发改委', person: '王', deadline: '2026-04-19' } } } }), null, office), null);
  });

  test('design documents only by the database admin', () => {
    assert.match(check({ _id: '_design/x' }, null, user(['city-office'])), /^forbidden: 只有数据库管理员/);
    assert.equal(check({ _id: '_design/x' }, null, user(['_admin'])), null);
  });
});

// With COUCHDB_URL (and COUCHDB_ADMIN_USER / COUCHDB_ADMIN_PASSWORD) set,
// the same tests run against that real CouchDB too, in a database of their own.
const real = process.env.COUCHDB_URL;
for (const flavour of ['pouch', 'couch3', ...(real ? ['real'] : [])]) {
  describe(`the rules over HTTP (${flavour === 'real' ? real : flavour})`, () => {
    let couch;
    const db = flavour === 'real' ? `project-ledger-test-${Date.now()}` : 'project-ledger';
    const password = 'example-pw';
    const couch3 = flavour !== 'pouch';
    before(async () => {
      couch = flavour === 'real'
        ? { url: real.replace(/\/+$/, ''), admin: { name: process.env.COUCHDB_ADMIN_USER, password: process.env.COUCHDB_ADMIN_PASSWORD }, close() {} }
        : await startCouch({ flavour });
      await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, db, exampleUsers: true, examplePassword: password });
      // An outsider: a user with no ledger role.
      const put = await fetch(`${couch.url}/_users/org.couchdb.user:outsider`, {
        method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64') },
        body: JSON.stringify({ name: 'outsider', type: 'user', roles: [], password }),
      });
      assert.ok(put.status === 201 || (flavour === 'real' && put.status === 409), `outsider: ${put.status}`);
    });
    after(() => couch.close());

    async function signIn(name) {
      const res = await fetch(`${couch.url}/_session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }) });
      assert.equal(res.status, 200, `sign in ${name}`);
      const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      assert.match(cookie, /AuthSession=/);
      return cookie;
    }
    async function bulk(cookie, docs) {
      const res = await fetch(`${couch.url}/${db}/_bulk_docs`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) }, body: JSON.stringify({ docs }) });
      const text = await res.text();
      return { status: res.status, rows: text ? JSON.parse(text) : null };
    }
    const row = (rows, id) => rows.find((r) => r.id === id);

    test('setup is idempotent', async () => {
      const again = await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, db, exampleUsers: true, examplePassword: password });
      assert.deepEqual(again.slice(0, 3), [`database ${db} exists`, 'security object up to date', 'design document up to date']);
      assert.equal(again.filter((l) => l.endsWith('exists')).length, 1 + EXAMPLE_USERS.length);
    });

    test('a district user\'s own edit is stored, another district\'s refused with its reason, rows read by id', async () => {
      const name = 'district-Haicheng-1';
      const cookie = await signIn(name);
      const mine = doc({ _id: 'hcuser01:1', author: name }, { i: 'hcuser01:1' });
      const theirs = doc({ _id: 'hcuser01:2', author: name, district: 'Tiexi' }, { i: 'hcuser01:2', p: 'tx-01' });
      const { status, rows } = await bulk(cookie, [theirs, mine]);
      assert.equal(status, 201);
      assert.ok(row(rows, 'hcuser01:1').rev || row(rows, 'hcuser01:1').ok, JSON.stringify(rows));
      const refused = row(rows, 'hcuser01:2');
      assert.equal(refused.error === true ? refused.name : refused.error, 'forbidden');
      assert.match(refused.reason || refused.message, /本区县用户只能修改本区县/);
    });

    test('a repeated create is refused and the edit is unchanged', async () => {
      const name = 'city-office-1';
      const cookie = await signIn(name);
      const first = doc({ _id: 'office01:1', author: name }, { i: 'office01:1' });
      assert.equal((await bulk(cookie, [first])).status, 201);
      const changed = doc({ _id: 'office01:1', author: name }, { i: 'office01:1', c: { Notes: '改过' } });
      const { rows } = await bulk(cookie, [changed]);
      const again = row(rows, 'office01:1');
      if (couch3) assert.equal(again.error, 'conflict');
      else assert.match(again.message || again.reason, /^immutable/);
      const held = await (await fetch(`${couch.url}/${db}/_all_docs?include_docs=true`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify({ keys: ['office01:1'] }) })).json();
      assert.deepEqual(held.rows[0].doc.edit.c, { Notes: '备注' });
    });

    test('no session: refused; a signed-in non-member: refused (401 here, 403 from CouchDB 3)', async () => {
      const anonymous = await bulk(null, [doc()]);
      if (couch3) assert.equal(anonymous.status, 401);
      else assert.deepEqual([anonymous.status, anonymous.rows.map((r) => r.error)], [201, ['unauthorized']]);
      const cookie = await signIn('outsider');
      const outsider = await fetch(`${couch.url}/${db}/_changes?since=0`, { headers: { Cookie: cookie } });
      assert.equal(outsider.status, couch3 ? 403 : 401);
    });

    test('README\'s backup and restore: setup --backup-db keeps a copy by CouchDB\'s own replication, --restore-from brings it back whole', async () => {
      const asAdmin = { Authorization: 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64') };
      const editsOf = async (name) => {
        const all = await (await fetch(`${couch.url}/${name}/_all_docs?include_docs=true`, { headers: asAdmin })).json();
        return (all.rows ?? []).filter((r) => !r.id.startsWith('_design/')).map((r) => [r.id, r.doc.author, JSON.stringify(r.doc.edit)]).sort();
      };
      const admin = { url: couch.url, admin: couch.admin.name, password: couch.admin.password, db };
      const live = await editsOf(db);
      assert.ok(live.length >= 2 && new Set(live.map((e) => e[1])).size >= 2, 'edits by two users are there to back up');
      const backupDb = `${db}-backup`;
      const steps = await setup({ ...admin, backupDb });
      assert.match(steps.at(-1), /backup replication .* started \(continuous\)/);
      let copied = [];
      for (const end = Date.now() + 15000; Date.now() < end; await new Promise((ok) => setTimeout(ok, 200))) {
        copied = await editsOf(backupDb);
        if (copied.length >= live.length) break;
      }
      assert.deepEqual(copied, live, 'the backup holds every edit, each by its maker');
      assert.match((await setup({ ...admin, backupDb })).at(-1), /exists$/, 'idempotent');
      // The live database is lost; setup makes it anew and restores it.
      assert.equal((await fetch(`${couch.url}/${db}`, { method: 'DELETE', headers: asAdmin })).status, 200);
      const restored = await setup({ ...admin, restoreFrom: backupDb, backupDb });
      assert.ok(restored.includes(`created database ${db}`), restored.join('\n'));
      assert.ok(restored.some((l) => new RegExp(`^restored ${db} from ${backupDb}: \\d+ documents written$`).test(l)), restored.join('\n'));
      assert.deepEqual(await editsOf(db), live, 'restored whole');
      // The rules still hold after it: a district user cannot write as someone else.
      const cookie = await signIn('district-Haicheng-1');
      const { rows } = await bulk(cookie, [doc({ _id: 'hcuser01:9', author: 'city-office-1' }, { i: 'hcuser01:9' })]);
      assert.match(row(rows, 'hcuser01:9').reason || row(rows, 'hcuser01:9').message, /author/);
    });

    test('the changes feed carries the author, with sequences of this flavour', async () => {
      const cookie = await signIn('city-leader-1');
      const res = await fetch(`${couch.url}/${db}/_changes?include_docs=true&since=0&limit=500`, { headers: { Cookie: cookie } });
      assert.equal(res.status, 200);
      const feed = await res.json();
      const edits = feed.results.filter((r) => !r.id.startsWith('_design/'));
      assert.deepEqual(edits.map((r) => [r.id, r.doc.author]).sort(), [['hcuser01:1', 'district-Haicheng-1'], ['office01:1', 'city-office-1']]);
      assert.equal(typeof feed.last_seq, couch3 ? 'string' : 'number');
    });
  });
}
