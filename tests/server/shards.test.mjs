// The test server's CouchDB 3 flavour with a feed of several shards, as a
// clustered database serves `_changes`: each edit once, each shard in its own
// write order, the shards interleaved, sequences opaque; paging from any
// sequence it gave goes on where it stopped; a longpoll answers a new edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCouch } from './couch.mjs';
import { setup } from '../../server/couchdb/setup.mjs';

const DB = 'project-ledger';

test('a feed of 8 shards carries every edit once, out of write order, paged from any sequence it gave', async () => {
  const couch = await startCouch({ flavour: 'couch3', shards: 8 });
  try {
    await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, db: DB, exampleUsers: true, examplePassword: 'pw' });
    const asAdmin = { 'Content-Type': 'application/json', Authorization: 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64') };
    const edit = (n) => ({ _id: `writer01:${n}`, author: 'city-office-1', district: 'Haicheng',
      edit: { v: 2, i: `writer01:${n}`, d: 'device', p: 'hc-01', t: n, r: [], c: { Notes: `第 ${n} 次` } } });
    const total = 300;
    for (let from = 1; from <= total; from += 100) {
      const docs = Array.from({ length: 100 }, (_, k) => edit(from + k));
      assert.equal((await fetch(`${couch.url}/${DB}/_bulk_docs`, { method: 'POST', headers: asAdmin, body: JSON.stringify({ docs }) })).status, 201);
    }
    const signIn = await fetch(`${couch.url}/_session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'city-leader-1', password: 'pw' }) });
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = async (since, extra = '') => {
      const res = await fetch(`${couch.url}/${DB}/_changes?include_docs=true&limit=50&since=${encodeURIComponent(since)}${extra}`, { headers: { Cookie: cookie } });
      assert.equal(res.status, 200);
      return res.json();
    };
    const seen = [];
    const checkpoints = [];
    let since = '0';
    for (;;) {
      const feed = await page(since);
      assert.equal(typeof feed.last_seq, 'string');
      for (const row of feed.results) {
        assert.equal(typeof row.seq, 'string');
        if (!row.id.startsWith('_design/')) seen.push(Number(row.doc.edit.i.split(':')[1]));
      }
      since = feed.last_seq;
      checkpoints.push([since, seen.length]);
      if (feed.results.length < 50) break;
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: total }, (_, k) => k + 1), 'every edit once');
    const late = seen.filter((n, k) => seen.slice(0, k).some((m) => m > n)).length;
    assert.ok(late > total / 4, `${late} of ${total} arrive after an edit written later`);
    // From a checkpoint in the middle, the rest and nothing else.
    const [middle, before] = checkpoints[2];
    const rest = [];
    for (let at = middle; ;) {
      const feed = await page(at);
      rest.push(...feed.results.filter((r) => !r.id.startsWith('_design/')).map((r) => Number(r.doc.edit.i.split(':')[1])));
      at = feed.last_seq;
      if (feed.results.length < 50) break;
    }
    assert.deepEqual(rest, seen.slice(before), 'the rest, in the same order');
    // Caught up, a longpoll waits and answers the next edit.
    const waiting = page(since, '&feed=longpoll&timeout=5000');
    await new Promise((ok) => setTimeout(ok, 300));
    assert.equal((await fetch(`${couch.url}/${DB}/_bulk_docs`, { method: 'POST', headers: asAdmin, body: JSON.stringify({ docs: [edit(total + 1)] }) })).status, 201);
    const next = await waiting;
    assert.deepEqual(next.results.map((r) => r.id), [`writer01:${total + 1}`]);
  } finally {
    await couch.close();
  }
});

test('clients asking at once each get every edit once: the shards\' feed is read once at a time', async () => {
  const couch = await startCouch({ flavour: 'couch3', shards: 8 });
  try {
    await setup({ url: couch.url, admin: couch.admin.name, password: couch.admin.password, db: DB, exampleUsers: true, examplePassword: 'pw' });
    const asAdmin = { 'Content-Type': 'application/json', Authorization: 'Basic ' + Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64') };
    const feed = async (since) => (await fetch(`${couch.url}/${DB}/_changes?include_docs=true&since=${encodeURIComponent(since)}`, { headers: asAdmin })).json();
    const start = (await feed('0')).last_seq;
    for (let round = 1; round <= 5; round += 1) {
      const docs = Array.from({ length: 20 }, (_, k) => ({ _id: `writer02:${round * 100 + k}`, author: 'admin', district: 'Haicheng',
        edit: { v: 2, i: `writer02:${round * 100 + k}`, d: 'device', p: 'hc-01', t: k, r: [], c: { Notes: `${round}` } } }));
      assert.equal((await fetch(`${couch.url}/${DB}/_bulk_docs`, { method: 'POST', headers: asAdmin, body: JSON.stringify({ docs }) })).status, 201);
      // Six clients at once, as the tabs of three devices longpoll.
      await Promise.all(Array.from({ length: 6 }, () => feed(start)));
    }
    const ids = (await feed(start)).results.map((r) => r.id);
    assert.equal(ids.length, 100);
    assert.equal(new Set(ids).size, 100, 'each edit once');
  } finally {
    await couch.close();
  }
});
