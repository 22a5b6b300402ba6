// The field rhythm: visits and blockers on a phone, the light that follows,
// the dispatch agenda, the open-blocker list and the dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, storeEdits, withApp } from './harness.mjs';

const app = withApp();

/** YYYY-MM-DD, `days` from today, in the browser's own time zone. */
const day = (page, days = 0) => page.evaluate((n) => {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}, days);

const lightOf = (page) => page.getAttribute('.light-card', 'data-light');

test('on a phone: a visit leaves an empty project 待补, its facts make it green, an old blocker red, resolving it green again', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openApp(context, app.server.url, '#/p/hc-02');
  await page.waitForSelector('.light-card');
  assert.equal(await lightOf(page), 'yellow', 'never visited');
  assert.match(await page.textContent('.light-card'), /还没有走访或调度记录/);

  await page.getByLabel('类型').selectOption({ label: '走访' });
  await page.getByLabel('情况').fill('设备进场，协调用电');
  await page.getByRole('button', { name: '添加记录' }).click();
  await page.waitForSelector('[data-record]');
  assert.match(await page.textContent('[data-record]'), /走访/);
  // Visited, yet no stage, no procedure, no planned start: unknown is not green.
  assert.equal(await lightOf(page), 'unknown');
  assert.match(await page.textContent('.light-card'), /待补/);
  assert.match(await page.textContent('.light-card'), /待补：未填阶段、手续无任何记录、未填计划开工日期/);
  await page.getByLabel('阶段').selectOption({ label: '签约' });
  await page.waitForFunction(() => /待补：手续无任何记录、未填计划开工日期/.test(document.querySelector('.light-card')?.textContent ?? ''));
  await page.getByLabel('立项', { exact: true }).check();
  await page.getByLabel('计划开工日期').fill(await day(page, 200));
  await page.getByLabel('计划开工日期').press('Tab');
  await page.waitForFunction(() => document.querySelector('.light-card')?.dataset.light === 'green');

  // A blocker the district owns, opened 9 days ago: over its 7-day limit.
  await page.getByLabel('问题', { exact: true }).fill('施工用电未接入');
  await page.getByLabel('责任单位').fill('供电公司');
  await page.getByLabel('提出日期').fill(await day(page, -9));
  await page.getByRole('button', { name: '记录问题' }).click();
  await page.waitForSelector('[data-blocker]');
  assert.match(await page.textContent('[data-blocker]'), /已 9 天/);
  assert.equal(await lightOf(page), 'red');
  assert.match(await page.textContent('.light-card'), /有问题已 9 天未解决（时限 7 天）/);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'nothing wider than the phone');

  // A resolution dated before the blocker was opened is refused and changes nothing.
  await page.locator('[data-blocker] details.resolve summary').click();
  await page.locator('[data-blocker] input[type=date]').fill(await day(page, -10));
  await page.locator('[data-blocker] [name=how]').fill('已协调');
  await page.getByRole('button', { name: '确认解决' }).click();
  assert.match(await page.textContent('[data-testid=resolve-error]'), /解决日期不能早于提出日期/);
  assert.equal(await lightOf(page), 'red');

  await page.locator('[data-blocker] input[type=date]').fill(await day(page, 0));
  await page.getByRole('button', { name: '确认解决' }).click();
  await page.waitForFunction(() => document.querySelector('[data-blocker]').textContent.includes('已解决'));
  assert.equal(await lightOf(page), 'green');

  await page.reload();
  await page.waitForSelector('.light-card');
  assert.equal(await lightOf(page), 'green', 'after reload');
  assert.match(await page.textContent('[data-blocker]'), /已解决.*已协调/);
  assert.match(await page.textContent('.history'), /问题已解决/);

  // The list shows the light and filters by it.
  await page.goto(`${app.server.url}#/?t=green`);
  await page.waitForSelector('[data-project]');
  assert.deepEqual(await page.$$eval('[data-project]', (as) => as.map((a) => a.dataset.project)), ['hc-02']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an empty blocker is refused with a message and stores nothing', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url, '#/p/ta-01');
  const before = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('.log.')).map((k) => localStorage.getItem(k)).join(''));
  await page.getByRole('button', { name: '记录问题' }).click();
  assert.match(await page.textContent('[data-testid=blocker-error]'), /请写明问题是什么/);
  const after = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('.log.')).map((k) => localStorage.getItem(k)).join(''));
  assert.equal(after, before);
  await context.close();
});

test('the weekly 海城市 agenda lists the projects not dispatched this week', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, `${app.server.url}office/`, '#/');
  const today = await day(page);
  const t = Date.now();
  await storeEdits(page, [
    { d: 't', p: 'hc-01', t, c: { AddRecord: { date: await day(page, -2), kind: { Dispatch: 'District' }, who: null, notes: '' } } },
    { d: 't', p: 'hc-02', t: t + 1, c: { AddRecord: { date: await day(page, -8), kind: { Dispatch: 'District' }, who: null, notes: '' } } },
    { d: 't', p: 'hc-03', t: t + 2, c: { AddRecord: { date: await day(page, -1), kind: 'Visit', who: null, notes: '' } } },
    { d: 't', p: 'ta-01', t: t + 3, c: { OpenBlocker: { description: '土地未摘牌', level: 'City', unit: '自然资源局', opened: await day(page, -3) } } },
  ]);
  await page.goto(`${app.server.url}office/#/agenda?date=${today}&lv=district&d=Haicheng`);
  await page.reload();
  await page.waitForSelector('[data-testid=agenda-table]');
  const ids = await page.$$eval('[data-testid=agenda-table] tbody tr', (rows) => rows.map((r) => r.dataset.project));
  assert.equal(ids.length, 9);
  assert.ok(!ids.includes('hc-01'), 'dispatched two days ago');
  assert.ok(ids.includes('hc-02') && ids.includes('hc-03'), 'last week, and a visit is no dispatch');
  assert.ok(ids.every((id) => id.startsWith('hc-')));

  // The city government's monthly meeting takes the city-level blocker.
  await page.getByLabel('调度层级').selectOption('government');
  await page.getByLabel('区县').selectOption('');
  await page.waitForFunction(() => location.hash.includes('lv=government') && !location.hash.includes('d='));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=agenda-table] tbody tr').length === 1);
  assert.match(await page.textContent('[data-testid=agenda-table] tbody'), /土地未摘牌（市级，已 3 天）/);
  // On paper: the light in words with its reasons (a black-and-white printer loses the colour),
  // and blank columns to write the meeting's decisions in; on screen those columns are not shown.
  assert.equal(await page.locator('[data-testid=agenda-table] th.write-in').first().isVisible(), false);
  await page.emulateMedia({ media: 'print' });
  const agendaPdf = join(mkdtempSync(join(tmpdir(), 'ledger-agenda-')), 'a.pdf');
  writeFileSync(agendaPdf, await page.pdf({ format: 'A4' }));
  await page.screenshot({ path: join(tmpdir(), 'ledger-agenda-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  // Content order, with the line breaks inside a cell taken out.
  const agendaText = execFileSync('pdftotext', ['-raw', agendaPdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  for (const column of ['议定事项', '责任单位', '完成时限']) assert.ok(agendaText.includes(column), `${column} on paper`);
  assert.match(agendaText, /[红黄绿]灯/);
  assert.match(agendaText, /还没有走访或调度记录|天未解决|仍未开工/, 'the reasons on paper');

  // The open-blocker list filters by level and age; its filters are not printed.
  await page.goto(`${app.server.url}office/#/blockers?lv=city`);
  await page.waitForSelector('[data-testid=blocker-table]');
  assert.equal(await page.locator('[data-testid=blocker-table] tbody tr').count(), 1);
  await page.getByLabel('至少已开（天）').fill('4');
  await page.getByLabel('至少已开（天）').press('Tab');
  await page.waitForFunction(() => location.hash.includes('age=4'));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=blocker-table] tbody tr').length === 0);
  await page.getByLabel('至少已开（天）').fill('3');
  await page.getByLabel('至少已开（天）').press('Tab');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=blocker-table] tbody tr').length === 1);
  await page.emulateMedia({ media: 'print' });
  const pdf = join(mkdtempSync(join(tmpdir(), 'ledger-blockers-')), 'b.pdf');
  writeFileSync(pdf, await page.pdf({ format: 'A4' }));
  const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' });
  assert.match(text, /土地未摘牌/);
  assert.ok(!text.includes('至少已开'), 'the filter form is not on paper');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the dashboard shows the campaign clock, the lights and who I am', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openApp(context, `${app.server.url}office/`, '#/');
  await storeEdits(page, [
    { d: 't', p: 'me-1', t: Date.now(), c: { SavePerson: { name: '孙管家', role: 'ServiceTeam', district: 'Haicheng', unit: '', phone: '' } } },
    { d: 't', p: 'hc-07', t: Date.now() + 1, c: { Assign: 'me-1' } },
  ]);
  await page.reload();
  await page.waitForSelector('[data-testid=campaign]');
  assert.match(await page.textContent('[data-testid=campaign-clock]'), /自 2024-02-18 起共 100 天，已结束/);
  // The rules page tells the same clock.
  await page.goto(`${app.server.url}office/#/rules`);
  assert.match(await page.textContent('[data-testid=rules-campaign-clock]'), /自 2024-02-18 起共 100 天，已结束/);
  await page.goto(`${app.server.url}office/#/`);
  await page.waitForSelector('[data-testid=campaign]');
  assert.match(await page.textContent('[data-testid=campaign]'), /攻坚项目 46 个，已开工 1 个（2%）/);
  const counts = await page.$$eval('[data-count]', (as) => as.map((a) => Number(a.querySelector('strong').textContent)));
  assert.equal(counts.reduce((a, b) => a + b, 0), 51, 'every project has one light');
  await page.getByLabel('我是（本设备的使用人）').selectOption({ label: '孙管家（海城市·项目管家/服务专班成员）' });
  await page.waitForSelector('[data-testid=my-projects] [data-project=hc-07]');
  await page.reload();
  await page.waitForSelector('[data-testid=my-projects] [data-project=hc-07]');

  // Move the campaign: it is one edit, and the clock follows.
  await page.getByLabel('起始日期').fill(await day(page, -10));
  await page.getByRole('button', { name: '保存攻坚设置' }).click();
  await page.waitForFunction(() => /还剩 90 天/.test(document.querySelector('[data-testid=campaign-clock]').textContent));
  await page.getByLabel('天数').fill('0');
  await page.getByRole('button', { name: '保存攻坚设置' }).click();
  assert.match(await page.textContent('[data-testid=campaign]'), /攻坚天数须在 1 到 366 之间/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a stage ahead of its procedures is kept, and the light warns about it; the rules page lists the checks', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await openApp(context, app.server.url, '#/p/hc-03');
  await page.waitForSelector('.light-card');
  assert.doesNotMatch(await page.textContent('.light-card'), /请核对/);
  await page.getByLabel('阶段').selectOption({ label: '投产' });
  await page.waitForFunction(() => /请核对：已竣工或投产，施工许可却未办/.test(document.querySelector('.light-card')?.textContent ?? ''));
  assert.match(await page.textContent('.light-card'), /请核对：已开工，土地手续却未办/);
  await page.reload();
  await page.waitForSelector('#stage');
  assert.equal(await page.locator('#stage option:checked').textContent(), '投产', 'a warning, not a refusal: the stage is kept');
  await page.goto(`${app.server.url}office/#/rules`);
  await page.waitForSelector('[data-testid=rule-plausibility]');
  assert.equal(await page.locator('[data-testid=rule-plausibility]').count(), 3);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a 办结日期 still to come, arrived from another device, is not counted as done until that day (#30 item 1)', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await openApp(context, app.server.url, '#/');
  const ahead = new Date(Date.now() + 8 * 3600e3 + 30 * 864e5).toISOString().slice(0, 10);
  const past = new Date(Date.now() + 8 * 3600e3 - 30 * 864e5).toISOString().slice(0, 10);
  await storeEdits(page, [
    { d: 'other', p: 'ta-03', t: Date.now() - 60000, c: { Procedure: { procedure: 'ConstructionPermit', done: true, date: ahead } } },
    { d: 'other', p: 'ta-03', t: Date.now() - 50000, c: { Procedure: { procedure: 'Land', done: true, date: past } } },
  ]);
  await page.reload();
  await page.waitForSelector('.results [data-project="ta-03"]');
  assert.match(await page.textContent('.results [data-project="ta-03"]'), /手续 1\/6/, 'only the one already done');
  await page.goto(`${app.server.url}#/p/ta-03`);
  await page.waitForSelector('[data-testid=done-ahead]');
  assert.equal(await page.locator('[data-testid=done-ahead]').count(), 1);
  assert.match(await page.textContent('[data-testid=done-ahead]'), new RegExp(`办结日期 ${ahead} 还没到：到那天之前不计为已办结`));
  // Across the row, not squeezed into the checkbox's column.
  const box = await page.locator('[data-testid=done-ahead]').boundingBox();
  assert.ok(box.width > 250 && box.height < 80, `readable at 375 px: ${JSON.stringify(box)}`);
  assert.deepEqual(page.errors, []);
  await context.close();
});
