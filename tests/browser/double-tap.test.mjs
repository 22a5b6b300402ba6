// Entry that never doubles (#30 item 5): a double tap on a button that makes
// something makes one, and the same submission again within a few seconds
// is not stored twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, storedLedger, withApp } from './harness.mjs';

const app = withApp();

/** The edits stored on this device, parsed. */
async function storedEdits(page) {
  const stored = await storedLedger(page);
  const records = stored.find(([k]) => k === 'indexeddb.edits')?.[1] ?? [];
  return records.map((r) => JSON.parse(r));
}

const changeKind = (edit) => Object.keys(edit.c ?? {})[0] ?? String(edit.c);

test('a double click on 添加 in 新增项目 makes one project', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openApp(context, `${app.server.url}office/`, '#/new');
  await page.getByLabel('项目名称').fill('双击新增的项目');
  await page.getByRole('button', { name: '添加' }).dblclick();
  await page.waitForURL(/#\/p\/u-/);
  await page.waitForSelector('[data-testid=project-name]');
  // The second click, had it gone through, is stored by now too.
  await page.waitForTimeout(500);
  const creations = (await storedEdits(page)).filter((e) => changeKind(e) === 'Create');
  assert.equal(creations.length, 1, `one project: ${JSON.stringify(creations)}`);
  await page.goto(app.server.url + '#/');
  await page.waitForSelector('[data-project]');
  assert.match(await page.textContent('[data-testid=project-count]'), /共 52 个项目.*自建 1/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a double tap on 添加记录 makes one record, and the form is ready for the next after', async () => {
  const context = await app.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openApp(context, app.server.url, '#/p/hc-03');
  await page.getByLabel('情况').fill('现场查看，设备已进场');
  await page.getByRole('button', { name: '添加记录' }).dblclick();
  await page.waitForSelector('[data-record]');
  await page.waitForTimeout(500);
  assert.equal(await page.locator('[data-record]').count(), 1, 'one record shown');
  assert.equal((await storedEdits(page)).filter((e) => changeKind(e) === 'AddRecord').length, 1, 'one record stored');
  // A second, different record once the tap is over goes through.
  await page.getByLabel('情况').fill('第二次走访');
  await page.getByRole('button', { name: '添加记录' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-record]').length === 2);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a double click on 指派给所选项目 makes one assignment per project; the same again soon is refused with a reason', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openApp(context, `${app.server.url}office/`, '#/people');
  await page.locator('#add-person-name').fill('王市长');
  await page.locator('#add-person-role').selectOption('city');
  await page.getByRole('button', { name: '添加人员' }).dblclick();
  await page.waitForSelector('table.workload a:text-is("王市长")');
  await page.waitForTimeout(500);
  assert.equal(await page.locator('table.workload a:text-is("王市长")').count(), 1, 'one person');

  await page.goto(app.server.url + '#/?d=Haicheng');
  await page.waitForSelector('[data-project]');
  await page.getByRole('button', { name: /全选符合条件的项目（10）/ }).click();
  await page.getByLabel('选择人员').selectOption({ label: '王市长（市级领导）' });
  await page.getByRole('button', { name: '指派给所选项目' }).dblclick();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-project]')].every((a) => a.textContent.includes('包保 王市长')));
  // Clicked again as soon as the button is free (a second after), within
  // the repeat window: refused, and said.
  await page.getByRole('button', { name: '指派给所选项目' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[role=alert]')].some((e) => /刚刚已保存过相同的内容/.test(e.textContent)));
  await page.waitForTimeout(300);
  const assigned = (await storedEdits(page)).filter((e) => changeKind(e) === 'Assign').length;
  assert.equal(assigned, 10, 'ten edits for ten projects, nothing stored twice');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a double click on 导出CSV gives one file; a double tap on 报送 one file and one question', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await openApp(context, `${app.server.url}office/`, '#/exchange');
  let downloads = 0;
  page.on('download', () => { downloads += 1; });
  await page.getByRole('button', { name: '导出CSV' }).dblclick();
  await page.waitForTimeout(1_500);
  assert.equal(downloads, 1, 'one CSV file');

  // The field app: one edit waiting, handed over to a share sheet that takes a moment.
  const phone = await openApp(context, app.server.url, '#/p/hc-04');
  await phone.getByLabel('情况').fill('报送前的一条记录');
  await phone.getByRole('button', { name: '添加记录' }).click();
  await phone.waitForSelector('[data-record]');
  await phone.evaluate(() => {
    window.shares = 0;
    navigator.canShare = (data) => data.files?.length === 1;
    navigator.share = async () => { window.shares += 1; await new Promise((r) => setTimeout(r, 400)); };
  });
  await phone.getByTestId('hand-over').dblclick();
  await phone.waitForFunction(() => /已报送 1 条修改/.test(document.querySelector('[data-testid=hand-over-said]')?.textContent ?? ''));
  await phone.waitForTimeout(800);
  assert.equal(await phone.evaluate(() => window.shares), 1, 'one file to the share sheet');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(phone.errors, []);
  await context.close();
});
