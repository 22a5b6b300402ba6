#!/usr/bin/env node
// Creates and updates the team's CouchDB users from the roster: the office
// app's 导出账号名单 file (包保 page) lists each person with a 用户名 and the
// server role their district gives them. Idempotent: run it again whenever
// the roster changes.
//
//   COUCHDB_URL=https://couch.example.cn COUCHDB_ADMIN_USER=admin COUCHDB_ADMIN_PASSWORD=… \
//     node server/couchdb/accounts.mjs --accounts 项目台账-账号名单-2026-12-07.json --passwords-out passwords.csv
//
// - A person new to the server gets a user with their role and a generated
//   password. Passwords go to the --passwords-out file only (created anew,
//   readable by its owner alone; the command refuses to overwrite one), one
//   line per person, for handing out; never to the terminal or a log.
// - A person already there keeps their password; a changed district changes
//   their role.
// - A person no longer on the roster is disabled, not deleted: no roles, and
//   a new random password nobody is told (which also ends their sessions).
//   Their edits stay theirs. Back on the roster, they get a new password.
// - Users this command did not make (an admin's, an example user) are left
//   alone, also when a roster login names one: that person is reported.
// The user document remembers whose it is (`ledger_person`, the roster id).

import { randomInt } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { adminClient } from './setup.mjs';

export const FORMAT = 'project-ledger-accounts';
const LOGIN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ROLE = /^(city-leader|district-(Haicheng|Taian|Xiuyan|Tiedong|Tiexi|Lishan|Qianshan|HighTech|EconomicZone))$/;

/** The accounts file, checked whole before anything is written; throws a message naming every problem. */
export function readAccounts(text) {
  let file;
  try { file = JSON.parse(text); } catch { throw new Error('不是账号名单文件（不是 JSON）'); }
  if (file?.format !== FORMAT || file.version !== 1 || !Array.isArray(file.accounts)) {
    throw new Error(`不是账号名单文件（应为办公室应用“包保”页导出的 ${FORMAT} 第 1 版）`);
  }
  const problems = [];
  const seen = new Map();
  for (const a of file.accounts) {
    const who = `${a?.name ?? '?'}（${a?.login ?? ''}）`;
    if (typeof a?.person !== 'string' || !a.person) problems.push(`${who}：缺少人员编号`);
    if (typeof a?.login !== 'string' || !LOGIN.test(a.login)) problems.push(`${who}：用户名无效`);
    if (typeof a?.server_role !== 'string' || !ROLE.test(a.server_role)) problems.push(`${who}：服务器角色无效（${a?.server_role}）`);
    if (seen.has(a?.login)) problems.push(`${who}：用户名与${seen.get(a.login)}重复`);
    seen.set(a?.login, a?.name);
  }
  if (problems.length) throw new Error(`账号名单有误，未做任何改动：\n${problems.join('\n')}`);
  return file;
}

/** A password a person can type on a phone: 12 letters and digits without look-alikes, in groups of four. */
export function newPassword() {
  const letters = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = Array.from({ length: 12 }, () => letters[randomInt(letters.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/**
 * Brings the server's users in line with the roster. Returns what it did
 * (lines without passwords); each new password ({name, login, password}) is
 * pushed to `passwords` as soon as the server holds it, so a run that fails
 * half-way still hands out what it made.
 */
export async function syncAccounts({ url, admin, password, file, passwords = [], today = new Date().toISOString().slice(0, 10) }) {
  const call = adminClient({ url, admin, password });
  const put = async (doc, what) => {
    const r = await call('PUT', `_users/${encodeURIComponent(doc._id)}`, doc);
    if (r.status !== 201 && r.status !== 202) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  };
  const done = [];
  const listed = await call('GET', '_users/_all_docs?include_docs=true');
  if (listed.status !== 200) throw new Error(`read _users: HTTP ${listed.status} ${JSON.stringify(listed.json)}`);
  const managed = listed.json.rows.map((r) => r.doc).filter((d) => d && d.type === 'user' && d.ledger_person);
  const wanted = new Set(file.accounts.map((a) => a.login));

  for (const a of file.accounts) {
    const id = `org.couchdb.user:${a.login}`;
    const have = await call('GET', `_users/${encodeURIComponent(id)}`);
    const roles = [a.server_role];
    if (have.status === 404) {
      const secret = newPassword();
      await put({ _id: id, name: a.login, type: 'user', roles, password: secret, ledger_person: a.person, ledger_name: a.name }, `create ${a.login}`);
      passwords.push({ name: a.name, login: a.login, password: secret });
      done.push(`created ${a.login} (${a.name}, ${a.server_role})`);
      continue;
    }
    if (have.status !== 200) throw new Error(`read user ${a.login}: HTTP ${have.status} ${JSON.stringify(have.json)}`);
    const doc = have.json;
    if (doc.ledger_person !== a.person) {
      done.push(`left alone ${a.login}: a user of that name exists and is not ${a.name}'s (${doc.ledger_person ? `roster person ${doc.ledger_person}` : 'not made from the roster'}); give ${a.name} another 用户名`);
      continue;
    }
    if (doc.ledger_disabled) {
      const secret = newPassword();
      const { ledger_disabled: _, ...kept } = doc;
      await put({ ...kept, roles, password: secret, ledger_name: a.name }, `enable ${a.login}`);
      passwords.push({ name: a.name, login: a.login, password: secret });
      done.push(`enabled again ${a.login} (${a.name}, ${a.server_role}), with a new password`);
    } else if (JSON.stringify(doc.roles) !== JSON.stringify(roles) || doc.ledger_name !== a.name) {
      await put({ ...doc, roles, ledger_name: a.name }, `update ${a.login}`);
      done.push(`updated ${a.login} (${a.name}, ${doc.roles.join(', ') || 'no role'} → ${a.server_role})`);
    } else {
      done.push(`unchanged ${a.login} (${a.name}, ${a.server_role})`);
    }
  }

  for (const doc of managed) {
    if (wanted.has(doc.name) || doc.ledger_disabled) continue;
    // A password nobody holds: the account cannot sign in, its sessions end.
    await put({ ...doc, roles: [], password: newPassword() + newPassword(), ledger_disabled: today }, `disable ${doc.name}`);
    done.push(`disabled ${doc.name} (${doc.ledger_name ?? doc.ledger_person}: no longer on the roster; kept, not deleted)`);
  }
  return { done, passwords };
}

/** The passwords file: CSV with a BOM for Excel, one person per line. */
export function passwordsCsv(passwords) {
  const cell = (v) => /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  return '\ufeff姓名,用户名,密码\r\n' + passwords.map((p) => [p.name, p.login, p.password].map(cell).join(',')).join('\r\n') + '\r\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (flag) => { const at = process.argv.indexOf(flag); return at > 0 ? process.argv[at + 1] : undefined; };
  const env = process.env;
  const accounts = arg('--accounts');
  const out = arg('--passwords-out');
  if (!env.COUCHDB_URL || !env.COUCHDB_ADMIN_USER || !env.COUCHDB_ADMIN_PASSWORD || !accounts || !out) {
    console.error('Usage: COUCHDB_URL=… COUCHDB_ADMIN_USER=… COUCHDB_ADMIN_PASSWORD=… node server/couchdb/accounts.mjs --accounts FILE.json --passwords-out FILE.csv');
    process.exit(2);
  }
  let file;
  try {
    file = readAccounts(readFileSync(accounts, 'utf8'));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  // Opened before any account is touched, and never over an earlier file
  // whose passwords may not be handed out yet.
  let fd;
  try {
    fd = openSync(out, 'wx', 0o600);
  } catch (e) {
    console.error(`cannot create ${out} (${e.code}): name a new file for the passwords`);
    process.exit(1);
  }
  const passwords = [];
  let failed = false;
  try {
    const { done } = await syncAccounts({ url: env.COUCHDB_URL, admin: env.COUCHDB_ADMIN_USER, password: env.COUCHDB_ADMIN_PASSWORD, file, passwords });
    for (const line of done) console.log(line);
    for (const left of file.left_out ?? []) console.log(`no account for ${left.name}: ${left.reason}`);
  } catch (e) {
    console.error(e.message);
    failed = true;
  }
  if (passwords.length) {
    writeSync(fd, passwordsCsv(passwords));
    closeSync(fd);
    console.log(`${passwords.length} new passwords written to ${out} (only there): hand each to its person, then delete the file`);
  } else {
    closeSync(fd);
    unlinkSync(out);
    console.log('no new passwords');
  }
  process.exit(failed ? 1 : 0);
}
