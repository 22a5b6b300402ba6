// The offices' week as they run it (issue 16): a district office's Monday with
// its scope set once, the dispatch meeting recorded in one action, and a
// blocker under supervision with its printed 督办单.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, startServer, storeEdits, withApp } from './harness.mjs';

/** A place of the office menu, opening 更多 first when the screen folds it there. */
async function menuLink(page, name) {
  const nav = page.getByRole('navigation', { name: '办公室' });
  const more = nav.locator('details.more');
  if (await more.isVisible() && !(await more.evaluate((d) => d.open))) await more.locator('summary').click();
  return nav.getByRole('link', { name, exact: true });
}

const app = withApp();

/** YYYY-MM-DD, `days` from today, in the browser's own time zone. */
const day = (page, days = 0) => page.evaluate((n) => {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}, days);
/** 2026-04-05 as a 公文 writes it: 2026年4月5日. */
const formal = (iso) => { const [y, m, d] = iso.split('-').map(Number); return `${y}年${m}月${d}日`; };

/** The text of a PDF of the page as printed, whitespace taken out. */
async function printed(page, name) {
  await page.emulateMedia({ media: 'print' });
  const pdf = join(mkdtempSync(join(tmpdir(), `ledger-${name}-`)), `${name}.pdf`);
  writeFileSync(pdf, await page.pdf({ format: 'A4' }));
  await page.emulateMedia({ media: 'screen' });
  return execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

test("海城市's Monday: the scope set once, the agenda, one meeting for all its items, printed", async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openApp(context, `${app.server.url}office/`, '#/');
  // Last Monday's meeting dispatched every 海城市 project; since then one project
  // started, one blocker was opened elsewhere in the district, one visit made.
  const DAY = 86400000;
  const now = Date.now();
  const hc = Array.from({ length: 10 }, (_, n) => `hc-${String(n + 1).padStart(2, '0')}`);
  const lastWeek = await day(page, -7);
  await storeEdits(page, [
    ...hc.map((p, n) => ({ d: 't', p, t: now - 7 * DAY + n, c: { AddRecord: { date: lastWeek, kind: { Dispatch: 'District' }, who: null, notes: '上周调度' } } })),
    { d: 't', p: 'hc-01', t: now - 2 * DAY, c: { Stage: 'Started' } },
    { d: 't', p: 'hc-02', t: now - 2 * DAY + 1, c: { OpenBlocker: { description: '用地指标未落实', level: 'District', unit: '自然资源局', opened: await day(page, -2) } } },
    { d: 't', p: 'hc-03', t: now - DAY, c: { AddRecord: { date: await day(page, -1), kind: 'Visit', who: null, notes: '设备进场' } } },
    { d: 't', p: 'ta-01', t: now - DAY + 1, c: { Stage: 'Started' } },
  ]);
  await page.reload();
  await page.waitForSelector('[data-count]');
  await page.getByLabel('本机所属区县').selectOption({ label: '海城市' });
  await page.waitForFunction(() => document.title.includes('海城市'));
  // Every count on the dashboard is the district's: 10 projects of 海城市 in the article.
  const counts = await page.$$eval('[data-count]', (as) => as.map((a) => Number(a.querySelector('strong').textContent)));
  assert.equal(counts.reduce((a, b) => a + b, 0), 10);

  // The menu's links open scoped, and the scope sticks across a reload.
  await page.reload();
  await page.waitForSelector('[data-count]');
  await (await menuLink(page, '调度议程')).click();
  await page.waitForSelector('[data-testid=agenda-table]');
  assert.match(page.url(), /d=Haicheng/);
  const ids = await page.$$eval('[data-testid=agenda-table] tbody tr', (rows) => rows.map((r) => r.dataset.project));
  assert.equal(ids.length, 10, 'every 海城市 project is due a week after its last meeting');
  assert.ok(ids.every((id) => id.startsWith('hc-')), ids.join());
  assert.match(await page.textContent('.sheet-head h2'), /海城市 · 区县领导每周调度 · 议程/);
  assert.match(await page.title(), /调度会议程 · 海城市/);
  assert.match(await page.textContent('[data-testid=scope]'), /范围：海城市/);

  // One click to the whole city, and back.
  await page.getByTestId('whole-city').click();
  await page.waitForFunction(() => !location.hash.includes('d='));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=agenda-table] tbody tr').length > 10);
  assert.match(await page.title(), /全市/);
  await page.getByTestId('own-district').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=agenda-table] tbody tr').length === 10);

  // What changed since last week's meeting, project by project, from the log.
  await page.getByTestId('changes-link').click();
  await page.waitForSelector('[data-testid=changes]');
  assert.equal(await page.inputValue('#changes-since'), await day(page, -7), 'since the last meeting of this level');
  const changed = await page.$$eval('[data-testid=changes] > li', (items) => items.map((li) => li.dataset.project));
  assert.deepEqual(changed, ['hc-01', 'hc-02', 'hc-03'], '海城市 only; ta-01 is 台安县');
  const hc01 = await page.textContent('[data-testid=changes] > li[data-project=hc-01]');
  // The stage was empty: filled in, not "清空 → 开工" (#30 item 3).
  assert.match(hc01, /填写阶段：开工（未署名，\d{4}-\d\d-\d\d \d\d:\d\d）/);
  assert.doesNotMatch(hc01, /清空|（空）/);
  assert.match(await page.textContent('[data-testid=changes] > li[data-project=hc-02]'), /新问题：用地指标未落实（区县）/);
  assert.match(await page.textContent('[data-testid=changes] > li[data-project=hc-03]'), /新走访：.* 设备进场/);
  assert.match(await page.title(), /变化摘要 · 海城市/);
  const digestPaper = await printed(page, 'changes');
  assert.match(digestPaper, /海城市·自.*起的变化/);
  assert.ok(digestPaper.includes('用地指标未落实') && digestPaper.includes('填写阶段：开工'), 'the digest on paper');
  await page.goBack();
  await page.waitForSelector('[data-testid=agenda-table]');

  // The roster and coverage, scoped too: only 海城市's uncovered projects.
  await (await menuLink(page, '包保')).click();
  await page.waitForSelector('[data-gap]');
  assert.match(page.url(), /people\?d=Haicheng/);
  assert.match(await page.textContent('h1'), /包保人员与工作量 · 海城市/);
  assert.match(await page.textContent('[data-gap=none]'), /10 个/);
  await page.goBack();
  await page.waitForSelector('[data-testid=meeting]');

  // The meeting, recorded once for all ten items; a bad date refuses all of it.
  await page.getByLabel('主持').fill('区县分管领导');
  await page.getByLabel('参会人员').fill('发改局、自然资源局、项目管家');
  const first = ids[0];
  const row = page.locator(`[data-testid=meeting] tr[data-project=${first}]`);
  await row.locator('input[name^=action]').fill('本周内完成用地报批');
  await row.locator('input[name^=unit]').fill('自然资源局');
  await row.locator('input[name^=due]').fill(await day(page, 7));
  // Typed text survives a reload before it is recorded.
  await page.reload();
  await page.waitForSelector('[data-testid=meeting]');
  assert.equal(await page.getByLabel('主持').inputValue(), '区县分管领导');
  assert.equal(await page.locator(`[data-testid=meeting] tr[data-project=${first}] input[name^=action]`).inputValue(), '本周内完成用地报批');
  await page.getByRole('button', { name: '记录调度会' }).click();
  await page.waitForSelector('[data-testid=meeting-done]:not(:empty)');
  assert.match(await page.textContent('[data-testid=meeting-done]'), /10 个项目各一条调度记录/);
  await page.screenshot({ path: join(tmpdir(), 'ledger-meeting-1280.png'), fullPage: true });
  // Dispatched today: off this week's agenda, but for the one with an open blocker (the rule:
  // a blocker its level owns keeps a project on every agenda until it is resolved).
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=agenda-table] tbody tr').length === 1);
  assert.equal(await page.getAttribute('[data-testid=agenda-table] tbody tr', 'data-project'), 'hc-02');

  // Each item is its project's dispatch record, with the meeting's decisions.
  await page.goto(`${app.server.url}#/p/${first}`);
  await page.waitForSelector('[data-record]');
  const record = await page.locator('[data-record]', { hasText: '主持' }).textContent();
  assert.match(record, /调度会（区县）/);
  assert.match(record, /主持：区县分管领导；参会：发改局、自然资源局、项目管家；议定事项：本周内完成用地报批；责任单位：自然资源局；完成时限：/);
  await page.goto(`${app.server.url}#/p/${ids[1]}`);
  await page.waitForSelector('[data-record]');
  const other = await page.locator('[data-record]', { hasText: '主持' }).textContent();
  assert.match(other, /主持：区县分管领导；参会：/);
  assert.doesNotMatch(other, /议定事项/, 'an item with nothing agreed says nothing');

  // The printed agenda carries the scope in its heading.
  await page.goto(`${app.server.url}office/#/agenda?d=Haicheng&date=${await day(page, 8)}`);
  await page.waitForSelector('[data-testid=agenda-table]');
  const paper = await printed(page, 'agenda');
  assert.match(paper, /海城市·区县领导每周调度·议程/);
  assert.ok(!paper.includes('记录本次调度会'), 'the meeting form is not on paper');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a blocker under supervision: deadline, escalation, progress, its 督办单 and the light', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openApp(context, `${app.server.url}office/`, '#/');
  const t = Date.now();
  await storeEdits(page, [
    { d: 't', p: 'hc-02', t, c: { AddRecord: { date: await day(page, -1), kind: 'Visit', who: null, notes: '' } } },
    { d: 't', p: 'hc-02', t: t + 1, c: { OpenBlocker: { description: '用地指标未落实', level: 'District', unit: '自然资源局', opened: await day(page, -3) } } },
  ]);
  await page.goto(`${app.server.url}office/#/blockers?d=Haicheng`);
  await page.reload();
  await page.waitForSelector('[data-testid=blocker-table] tbody tr');
  assert.match(await page.textContent('.sheet-head h2'), /未解决问题清单 · 海城市/);
  await page.getByTestId('supervision-link').click();
  await page.waitForSelector('[data-testid=supervision-sheet]');

  // A deadline before the blocker was opened is refused; nothing changes.
  await page.locator('#sv-deadline').fill(await day(page, -4));
  await page.getByRole('button', { name: '保存督办' }).click();
  assert.match(await page.textContent('[data-testid=supervise-error]'), /完成时限不能早于提出日期/);
  assert.equal(await page.textContent('[data-testid=supervision-deadline]'), '');

  // Escalated to the city, with a person answering for it and a deadline already passed.
  await page.locator('#sv-level').selectOption({ label: '市级' });
  await page.locator('#sv-unit').fill('市自然资源局');
  await page.locator('#sv-person').fill('用地科负责人');
  await page.locator('#sv-deadline').fill(await day(page, -1));
  await page.getByRole('button', { name: '保存督办' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=supervision-level]').textContent === '市级');
  assert.equal(await page.textContent('[data-testid=supervision-deadline]'), formal(await day(page, -1)));

  // A progress note; an empty one is refused.
  await page.getByRole('button', { name: '保存' , exact: true }).click();
  assert.match(await page.textContent('[data-testid=progress-error]'), /请写明进展/);
  await page.locator('#pg-note').fill('已报市政府专题会');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=progress]').textContent.includes('已报市政府专题会'));

  // On paper: number, issue date, issuing office, content, the responsible, deadline, feedback box.
  const paper = await printed(page, 'supervision');
  for (const part of ['问题督办单', '编号：hc-02-1', '签发日期', '签发单位', '用地指标未落实', '市自然资源局', '用地科负责人', '完成时限', '超期1天', '已报市政府专题会', '办理反馈']) {
    assert.ok(paper.includes(part), `${part} on the 督办单`);
  }
  assert.ok(!paper.includes('保存督办'), 'the forms are not on paper');

  // Overdue drives the light, and the escalated blocker is on the city government's agenda.
  await page.goto(`${app.server.url}#/p/hc-02`);
  await page.waitForSelector('.light-card');
  assert.equal(await page.getAttribute('.light-card', 'data-light'), 'red');
  assert.match(await page.textContent('.light-card'), /有问题超过完成时限 1 天仍未解决/);
  assert.match(await page.textContent('[data-blocker]'), /市级 · 市自然资源局/);
  await page.goto(`${app.server.url}office/#/agenda?lv=government`);
  await page.waitForSelector('[data-testid=agenda-table]');
  assert.ok(await page.locator('[data-testid=agenda-table] tr[data-project=hc-02]').count() === 1);

  // Closed from the office: off the open list, kept after reload.
  await page.goto(`${app.server.url}office/#/blockers`);
  await page.getByTestId('supervision-link').click();
  await page.locator('#pg-note').fill('指标已下达');
  await page.getByLabel('问题已解决，办结').check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=progress-form]'));
  await page.reload();
  await page.waitForSelector('[data-testid=supervision-sheet]');
  assert.match(await page.textContent('[data-testid=supervision-sheet]'), /已解决.*指标已下达/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a deadline extended after it passed stays missed: 曾超期 on the blocker, the 督办单, the list, and the light yellow for a month (#30 item 1)', async () => {
  // Anshan's calendar in the browser too: the day a deadline moved is the
  // day in Anshan of the edit that moved it.
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Shanghai' });
  const page = await openApp(context, app.server.url, '#/p/hc-04');
  const [yesterday, opened, due, today, extended] = [await day(page, -1), await day(page, -5), await day(page, -3), await day(page), await day(page, 4)];
  await page.locator('#record-date').fill(yesterday);
  await page.getByRole('button', { name: '添加记录' }).click();
  await page.waitForSelector('[data-record]');
  await page.getByLabel('问题', { exact: true }).fill('施工用电未接入');
  await page.getByLabel('责任单位').fill('供电公司');
  await page.getByLabel('提出日期').fill(opened);
  await page.getByLabel('完成时限（可不填）').fill(due);
  await page.getByRole('button', { name: '记录问题' }).click();
  await page.waitForSelector('[data-blocker]');
  await page.goto(`${app.server.url}office/#/blockers?d=Haicheng`);
  await page.waitForSelector('[data-testid=blocker-table] tbody tr');
  assert.match(await page.textContent('[data-testid=blocker-table]'), /超期 3 天/);
  await page.getByTestId('supervision-link').click();
  await page.waitForSelector('[data-testid=supervision-sheet]');
  await page.locator('#sv-person').fill('供电所所长');
  await page.locator('#sv-deadline').fill(extended);
  await page.getByRole('button', { name: '保存督办' }).click();
  // A 督办单 is a 公文: its dates read 2026年4月15日 (#30 item 8).
  const missed = `曾超期 3 天（原时限 ${formal(due)}，${formal(today)} 延至 ${formal(extended)}）`;
  await page.waitForFunction((m) => document.querySelector('[data-testid=supervision-deadline]').textContent.includes(m), missed);
  assert.equal(await page.textContent('[data-testid=supervision-deadline]'), `${formal(extended)}，${missed}`);
  const paper = await printed(page, 'supervision-missed');
  assert.ok(paper.includes(missed.replace(/\s+/g, '')), `on paper: ${paper}`);
  for (const part of [`签发日期${formal(today)}`, `提出日期${formal(opened)}`]) assert.ok(paper.includes(part), `${part} on paper: ${paper}`);
  assert.doesNotMatch(paper, /\d{4}-\d{2}-\d{2}/, 'no ISO date on the 督办单');

  await page.goto(`${app.server.url}office/#/blockers?d=Haicheng`);
  await page.waitForSelector('[data-testid=blocker-table] tbody tr');
  assert.match(await page.textContent('[data-testid=blocker-table]'), new RegExp(`时限 ${extended}，曾超期 3 天`));
  await page.goto(`${app.server.url}#/p/hc-04`);
  await page.waitForSelector('.light-card');
  assert.equal(await page.getAttribute('.light-card', 'data-light'), 'yellow', 'on time by the new deadline, never green');
  assert.match(await page.textContent('.light-card'), new RegExp(`有问题曾超期 3 天，${today} 才延期`));
  assert.match(await page.textContent('[data-blocker]'), /曾超期 3 天/);
  // The 变化摘要 since yesterday lists the 督办 (#30 item 3).
  await page.goto(`${app.server.url}office/#/changes?date=${yesterday}`);
  await page.waitForSelector('[data-testid=changes] > li[data-project=hc-04]');
  assert.match(await page.textContent('[data-testid=changes] > li[data-project=hc-04]'),
    new RegExp(`督办「施工用电未接入」：责任人 供电所所长，完成时限 ${due} → ${extended}（原时限 ${due} 曾超期 3 天）`));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a meeting item\'s 完成时限 on a project with an open blocker sets that blocker\'s deadline in the same action (#30 item 1)', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Shanghai' });
  const page = await openApp(context, app.server.url, '#/p/hc-05');
  const [opened, due, agreed] = [await day(page, -6), await day(page, -2), await day(page, 7)];
  await page.getByLabel('问题', { exact: true }).fill('环评批复未下达');
  await page.getByLabel('责任单位').fill('生态环境局');
  await page.getByLabel('提出日期').fill(opened);
  await page.getByLabel('完成时限（可不填）').fill(due);
  await page.getByRole('button', { name: '记录问题' }).click();
  await page.waitForSelector('[data-blocker]');
  const blocker = await page.getAttribute('[data-blocker]', 'data-blocker');

  await page.goto(`${app.server.url}office/#/agenda?d=Haicheng`);
  const row = page.locator('[data-testid=meeting] tr[data-project=hc-05]');
  await row.waitFor();
  // Offered at once: the project's one open blocker.
  const choice = row.locator('select[name^=blocker]');
  assert.equal(await choice.inputValue(), blocker);
  assert.match(await choice.locator('option:checked').textContent(), /同时设为问题「环评批复未下达」的完成时限/);
  await row.locator('input[name^=action]').fill('一周内下达批复');
  await row.locator('input[name^=due]').fill(agreed);
  // A project without an open blocker offers nothing.
  assert.equal(await page.locator('[data-testid=meeting] tr[data-project=hc-06] select').count(), 0);
  await page.getByRole('button', { name: '记录调度会' }).click();
  await page.waitForSelector('[data-testid=meeting-done]:not(:empty)');
  assert.match(await page.textContent('[data-testid=meeting-done]'), /10 个项目各一条调度记录/, 'the 督办 is no extra record');

  // The deadline moved once, by the meeting; the miss before it stays.
  await page.goto(`${app.server.url}#/p/hc-05`);
  await page.waitForSelector('[data-blocker]');
  assert.match(await page.textContent('[data-blocker]'), new RegExp(`时限 ${agreed}，曾超期 2 天`));
  await page.waitForFunction(() => /问题督办：.*完成时限/.test(document.querySelector('.history')?.textContent ?? ''));
  assert.match(await page.textContent('.history'), new RegExp(`问题督办：区县，责任单位 生态环境局，责任人 ，完成时限 ${agreed}`));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a steward's day on a 375 px phone, offline: my projects, a visit, a blocker with a deadline, the bundle shared", async () => {
  const server = await startServer();
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  try {
    const page = await openApp(context, server.url, '#/');
    await page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 15000 });
    const now = Date.now();
    await storeEdits(page, [
      { d: 't', p: 'me-1', t: now, c: { SavePerson: { name: '孙管家', role: 'ServiceTeam', district: 'Haicheng', unit: '', phone: '' } } },
      { d: 't', p: 'hc-03', t: now + 1, c: { Assign: 'me-1' } },
      { d: 't', p: 'hc-05', t: now + 2, c: { Assign: 'me-1' } },
    ]);
    // 我是, chosen once on the phone (the office's 总览 page, same device).
    await page.goto(`${server.url}office/#/`);
    await page.waitForSelector('#me option[value=me-1]', { state: 'attached' });
    await page.locator('#me').selectOption('me-1');
    // Offline from here on: the server is gone and the phone says it is offline.
    await server.close();
    await context.setOffline(true);

    // The field app opens on the steward's own projects.
    await page.goto(server.url);
    await page.waitForSelector('[data-project]');
    const mine = await page.$$eval('[data-project]', (as) => [...new Set(as.map((a) => a.dataset.project))].sort());
    assert.deepEqual(mine, ['hc-03', 'hc-05']);
    assert.ok(await page.getByTestId('nav-mine').isVisible(), '我的项目 in the menu');
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-status]').textContent === '离线 · 仅存本机');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'nothing wider than the phone');

    // A visit: the record is the steward's own without choosing.
    await page.locator('a[data-project=hc-03]').first().click();
    await page.waitForSelector('#record-who');
    assert.equal(await page.locator('#record-who').inputValue(), 'me-1');
    await page.getByLabel('阶段').selectOption('Started');
    await page.locator('#record-notes').fill('设备进场，现场无人员');
    await page.getByRole('button', { name: '添加记录' }).click();
    await page.waitForSelector('[data-record]');
    assert.match(await page.textContent('[data-record]'), /走访 孙管家/);

    // A blocker with a deadline; a deadline before it was opened is refused.
    await page.getByLabel('问题', { exact: true }).fill('施工用水未接入');
    await page.getByLabel('责任单位').fill('水务集团');
    await page.getByLabel('提出日期').fill(await day(page, -2));
    await page.getByLabel('完成时限（可不填）').fill(await day(page, -3));
    await page.getByRole('button', { name: '记录问题' }).click();
    assert.match(await page.textContent('[data-testid=blocker-error]'), /完成时限不能早于提出日期/);
    await page.getByLabel('完成时限（可不填）').fill(await day(page, 5));
    await page.getByRole('button', { name: '记录问题' }).click();
    await page.waitForSelector('[data-blocker]');
    assert.match(await page.textContent('[data-blocker]'), new RegExp(`已 2 天，时限 ${await day(page, 5)}`));
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'nothing wider than the phone');

    // Always in view: offline, and three edits waiting to be handed over.
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-status]').textContent === '离线 · 仅存本机 · 待报送 3 条');
    // One tap: the phone's share sheet gets one file named by person, district and date.
    await page.evaluate(() => {
      navigator.canShare = (data) => data.files?.length === 1;
      navigator.share = async (data) => { window.shared = { name: data.files[0].name, type: data.files[0].type, text: await data.files[0].text() }; };
    });
    await page.getByTestId('hand-over').click();
    await page.waitForSelector('[data-testid=hand-over-said]');
    const file = `项目台账-修改包-孙管家-海城市-${await day(page)}.txt`;
    assert.equal(await page.textContent('[data-testid=hand-over-said]'), `已报送 3 条修改（1 个项目），文件：${file}`);
    const shared = await page.evaluate(() => window.shared);
    assert.equal(shared.name, file);
    assert.equal(shared.type, 'text/plain');
    assert.equal(JSON.parse(shared.text).edits.length, 3);
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-status]').textContent === '离线 · 仅存本机');
    await page.getByTestId('hand-over').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=hand-over-said]').textContent === '没有待报送的修改。');

    // A browser that shares no files downloads it instead, counted once the steward says it went.
    await page.locator('#record-notes').fill('复查');
    await page.getByRole('button', { name: '添加记录' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-status]').textContent.endsWith('待报送 1 条'));
    await page.evaluate(() => { navigator.canShare = undefined; });
    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('hand-over').click()]);
    assert.equal(download.suggestedFilename(), file);
    await page.waitForFunction(() => document.querySelector('[data-testid=hand-over-said]').textContent.startsWith('未报送'));
    assert.match(asked, /已下载 .*：1 条修改（1 个项目）/);
    assert.match(await page.textContent('[data-testid=sync-status]'), /待报送 1 条/, 'not counted while the steward says it did not go');
    page.once('dialog', (d) => d.accept());
    await Promise.all([page.waitForEvent('download'), page.getByTestId('hand-over').click()]);
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-status]').textContent === '离线 · 仅存本机');
    assert.match(await page.textContent('[data-testid=hand-over-said]'), /已报送 1 条修改（1 个项目）/);
    assert.deepEqual(page.errors, []);

    // At the district office's desk: the bundle's changes, old → new, before merging.
    const desk = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const office = await openApp(desk, `${app.server.url}office/`, '#/exchange');
    await office.locator('#import-bundle').setInputFiles({ name: file, mimeType: 'text/plain', buffer: Buffer.from(shared.text) });
    await office.waitForSelector('[data-testid=bundle-changes] li');
    const preview = await office.textContent('[data-testid=bundle-changes]');
    assert.match(preview, /填写阶段：开工/);
    assert.match(preview, /新问题：施工用水未接入/);
    assert.match(preview, /新走访：.*设备进场，现场无人员/);
    await office.getByRole('button', { name: '合并这些修改' }).click();
    await office.waitForFunction(() => document.querySelector('[data-testid=bundle-done]').textContent !== '');
    assert.deepEqual(office.errors, []);
    await desk.close();
  } finally {
    await context.close();
    await server.close().catch(() => {});
  }
});

test('the inspection office prints the ranking as of a date, against the quarter before', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openApp(context, `${app.server.url}office/`, '#/');
  // Every 鞍山经济开发区 project started 10 days ago; 铁西区 got stewards last year.
  const DAY = 86400000;
  const now = Date.now();
  await page.goto(`${app.server.url}#/?d=EconomicZone`);
  await page.waitForSelector('[data-project]');
  const zone = await page.$$eval('[data-project]', (as) => [...new Set(as.map((a) => a.dataset.project))]);
  assert.ok(zone.length > 0);
  await storeEdits(page, zone.map((p, n) => ({ d: 't', p, t: now - 10 * DAY + n, c: { Stage: 'Started' } })));
  // Against 11 days ago (the default, the quarter before, may fall after the starts early in a quarter).
  await page.goto(`${app.server.url}office/#/print/city?vs=${await day(page, -11)}`);
  await page.reload();
  await page.waitForSelector('[data-testid=ranking] tbody tr');
  const row = (district) => page.locator(`[data-testid=ranking] tr[data-district=${district}]`);
  await page.waitForFunction(() => !document.querySelector('[data-testid=ranking]').textContent.includes('…'));
  const today = await day(page);
  const placeNow = parseInt(await row('EconomicZone').locator('td').first().textContent(), 10);
  const earlierNow = Number(await row('EconomicZone').getByTestId('earlier-place').textContent());
  assert.ok(placeNow < earlierNow, `rose from ${earlierNow} to ${placeNow} since last quarter`);
  assert.equal(await row('EconomicZone').getByTestId('places-up').textContent(), `+${earlierNow - placeNow}`);
  assert.equal(await row('EconomicZone').getByTestId('points-gained').textContent(), '+40.0');

  // As of 12 days ago, against 11 days ago: both before the starts.
  await page.locator('#ranking-asof').fill(await day(page, -12));
  await page.locator('#ranking-asof').press('Tab');
  await page.waitForFunction(() => location.hash.includes('asof='));
  await page.waitForFunction(() => document.querySelector('.sheet-head h2')?.textContent.includes('截至'));
  await page.waitForFunction((d) => document.querySelector('.sheet-head h2').textContent.includes(d), formal(await day(page, -12)));
  const placeThen = parseInt(await row('EconomicZone').locator('td').first().textContent(), 10);
  assert.equal(placeThen, earlierNow, 'as of before the starts it ranks where it did');
  assert.equal(await row('EconomicZone').getByTestId('points-gained').textContent(), '0.0');

  // Printed: the date, the comparison, the columns.
  await page.goto(`${app.server.url}office/#/print/city?asof=${today}&vs=${await day(page, -11)}`);
  await page.waitForSelector('[data-testid=ranking] tbody tr');
  await page.waitForFunction(() => !document.querySelector('[data-testid=ranking]').textContent.includes('…'));
  const paper = await printed(page, 'ranking');
  assert.ok(paper.includes(`截至${formal(today)}`), 'the as-of date on paper');
  assert.ok(paper.includes(`与${formal(await day(page, -11))}相比`), 'the comparison date on paper');
  for (const column of ['名次变化', '得分变化']) assert.ok(paper.includes(column), `${column} on paper`);
  assert.ok(paper.includes('+40.0'), 'the gain on paper');
  assert.ok(!paper.includes('对比日期（默认上季度末）'), 'the date form is not on paper');
  await page.screenshot({ path: join(tmpdir(), 'ledger-ranking-1280.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await context.close();
});
