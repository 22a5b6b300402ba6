// Benchmark (not a test): the real filter and list in headless Chromium with
// 10,000 generated projects and 20,000 edits. Prints keystroke→paint and
// facet-toggle→paint times, DOM rows and memory.
//   node tests/browser/bench-list.mjs    (after `bash tools/build.sh`; DIST=folder measures another
//   build, WIDTH=375 a phone-sized screen, 1280 wide by default)
import { generate } from './generate.mjs';
import { launch, startServer, storeEdits } from './harness.mjs';

const PROJECTS = 10_000;
const OTHER_EDITS = 10_000;
const server = await startServer(0, process.env.DIST);
const browser = await launch(['--enable-precise-memory-info']);
const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n=${s.length})`;
};

// In the page: from a trusted event to the frame that shows its effect. A
// MutationObserver sees the list change; rAF + a task after it is after paint.
const INSTRUMENT = () => {
  window.__timings = [];
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  const watch = (type) => document.addEventListener(type, (event) => {
    const t0 = event.timeStamp;
    const target = document.querySelector('.finder-main');
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      observer.disconnect();
      const dom = performance.now() - t0;
      requestAnimationFrame(() => setTimeout(() => window.__timings.push({ type, dom, ms: performance.now() - t0 }), 0));
    };
    const observer = new MutationObserver(finish);
    observer.observe(target, { childList: true, subtree: true, characterData: true, attributes: true });
  }, true);
  watch('input');
  watch('change');
};

try {
  const width = Number(process.env.WIDTH ?? 1280);
  const context = await browser.newContext({ viewport: { width, height: width < 1000 ? 812 : 900 } });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('[data-project]');
  const edits = generate(PROJECTS, OTHER_EDITS);
  const bytes = await storeEdits(page, edits);
  console.log(`${width} px wide; stored ${edits.length} edits (${PROJECTS} generated projects): ${(bytes / 1024 / 1024).toFixed(1)} MB of JSON`);
  await page.reload();
  await page.waitForSelector('[data-project]');
  console.log(`load: list of ${await page.textContent('[data-testid=project-count]')} ready at ${(await page.evaluate(() => performance.now())).toFixed(0)} ms`);

  // Each round types a different place and firm from the generated names, so
  // typing forward narrows (the app keeps recent answers: only Backspace finds
  // its answer ready, as it would for a person correcting a word).
  const places = ['鞍山', '辽宁', '海城', '台安', '岫岩', '千山', '立山', '铁西', '铁东', '沈阳', '大连', '营口'];
  const firms = ['华宇', '恒信', '金泰', '中兴', '宏基', '瑞丰', '鑫源', '天顺', '宝得', '福金', '利奇', '新嘉', '鸣玉', '奥达'];
  const search = page.getByLabel('搜索项目');
  await search.click();
  for (let round = 0; round < 15; round += 1) {
    for (const ch of places[round % places.length] + firms[(round * 5) % firms.length]) {
      await page.keyboard.type(ch);
      await page.waitForTimeout(60);
    }
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Backspace');
      await page.waitForTimeout(60);
    }
  }
  await page.waitForTimeout(300);
  const typed = await page.evaluate(() => window.__timings.splice(0).filter((t) => t.type === 'input'));
  const typing = typed.map((t) => t.ms);
  console.log(`keystroke in search → list painted: ${stat(typing)}`);
  console.log(`  of which → list updated in the DOM: ${stat(typed.map((t) => t.dom))}`);

  // On a phone the filters start folded away.
  await page.evaluate(() => { document.querySelector('details.filters').open = true; });
  // Each round ticks a district, a stage and a missing procedure, then unticks
  // them in the same order; the values change from round to round.
  const districts = ['Haicheng', 'Taian', 'Xiuyan', 'Tiedong', 'Tiexi', 'Lishan', 'Qianshan', 'HighTech', 'EconomicZone'];
  const stages = ['Planning', 'Negotiating', 'Listed', 'Signed', 'LandAcquired', 'Started', 'Completed', 'Producing', 'FullCapacity'];
  const procedures = ['Approval', 'Land', 'Environment', 'Energy', 'PlanningPermit', 'ConstructionPermit'];
  for (let round = 0; round < 15; round += 1) {
    const values = [['d', districts[round % 9]], ['s', stages[(round * 4) % 9]], ['m', procedures[round % 6]]];
    for (const [param, value] of [...values, ...values]) {
      await page.locator(`input[data-facet="${param}"][value="${value}"]`).click();
      await page.waitForTimeout(60);
    }
  }
  await page.waitForTimeout(300);
  const toggled = await page.evaluate(() => window.__timings.splice(0).filter((t) => t.type === 'change'));
  const toggling = toggled.map((t) => t.ms);

  await page.goto(server.url + '#/');
  await page.waitForSelector('[data-project]');
  const rows = await page.evaluate(() => document.querySelectorAll('[data-project]').length);
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  const memory = await page.evaluate(() => ({
    js: performance.memory?.usedJSHeapSize ?? 0,
    wasm: window.__wasm?.memory?.buffer?.byteLength ?? 0,
  }));
  console.log(`facet toggle → list painted: ${stat(toggling)}`);
  console.log(`  of which → list updated in the DOM: ${stat(toggled.map((t) => t.dom))}`);
  console.log(`list rows in the DOM: ${rows} (all elements: ${elements})`);
  console.log(`memory: JS heap ${(memory.js / 1048576).toFixed(1)} MB, wasm linear memory ${(memory.wasm / 1048576).toFixed(1)} MB`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
