// CSV export of the current (filtered) list, read back from the downloaded file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openApp, withApp } from './harness.mjs';

const app = withApp();

test('export downloads the filtered list as CSV that Excel reads as Chinese', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url, '#/?d=Haicheng');
  await page.waitForSelector('[data-project]');
  await page.getByRole('link', { name: '导出Excel/CSV' }).click();
  await page.waitForURL(/office\/#\/exchange\?d=Haicheng/);
  await page.getByText('将导出项目列表当前筛选出的 10 个项目').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出CSV' }).click()]);
  assert.match(download.suggestedFilename(), /^项目台账-海城市-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
  const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
  assert.equal(lines.length, 11, 'header + the 10 projects of 海城市');
  assert.match(lines[0], /^编号,项目名称,业主单位,区县/);
  const huayu = lines.find((l) => l.startsWith('hc-07,'));
  assert.match(huayu, /海城华宇镁砖有限公司年产12\.5万吨无碳低镁质不烧砖建设项目/);
  assert.match(huayu, /,开工,已办,/);
  await context.close();
});
