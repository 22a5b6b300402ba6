// One thin driver per engine, all with the same few verbs, so the core flows
// (core.test.mjs) are written once:
//   chromium  Debian's Chromium through playwright-core
//   firefox   Debian's Firefox ESR through puppeteer-core over WebDriver BiDi
//   webkit    WebKitGTK's MiniBrowser through WebKitWebDriver and selenium-webdriver
// Each verb uses the engine's own input (typing, clicks, selecting), never a
// script that sets values. What an engine cannot do it refuses by name with
// `Unsupported`, and the flow says so in the test's output.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Unsupported extends Error {}

/** The engines to run: all three, or those named in ENGINES (comma separated). */
export const ENGINES = (process.env.ENGINES ?? 'chromium,firefox,webkit').split(',').map((e) => e.trim()).filter(Boolean);

/** Runs in the page: keeps uncaught errors and console.error calls where the driver cannot hear them. */
const ERROR_TRAP = `(() => {
  if (window.__errors) return;
  window.__errors = [];
  addEventListener('error', (e) => window.__errors.push(String(e.message)));
  addEventListener('unhandledrejection', (e) => window.__errors.push(String(e.reason)));
  const original = console.error;
  console.error = (...args) => { window.__errors.push(args.map(String).join(' ')); original.apply(console, args); };
})()`;

/** The version line of a browser binary, for the record. */
function version(binary, args = ['--version']) {
  try {
    return execFileSync(binary, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return binary;
  }
}

/** The verbs a Playwright page and a Puppeteer page share, and the errors each hears as they come. */
function sharedVerbs(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    errors: async () => errors,
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    url: async () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (css) => page.click(css),
    screenshot: () => page.screenshot({ fullPage: true }),
  };
}

async function chromium() {
  const { chromium: engine } = await import('playwright-core');
  const browser = await engine.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  return {
    name: 'chromium',
    version: browser.version(),
    ...sharedVerbs(page),
    type: async (css, text) => { await page.fill(css, ''); await page.type(css, text); },
    press: (css, key) => page.press(css, key),
    select: (css, value) => page.selectOption(css, value).then(() => undefined),
    viewport: (width, height) => page.setViewportSize({ width, height }),
    pdf: async () => { await page.emulateMedia({ media: 'print' }); return page.pdf({ format: 'A4' }); },
    close: () => browser.close(),
  };
}

async function firefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const executablePath = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    // A profile of its own each run: no service worker or storage carried over.
    userDataDir: mkdtempSync(join(tmpdir(), 'ledger-firefox-')),
    extraPrefsFirefox: { 'browser.shell.checkDefaultBrowser': false, 'datareporting.policy.dataSubmissionEnabled': false },
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  return {
    name: 'firefox',
    version: await browser.version(),
    ...sharedVerbs(page),
    type: async (css, text) => {
      // Select what is there, then type over it, as a person would.
      await page.click(css, { clickCount: 3 });
      await page.evaluate((s) => document.querySelector(s).select?.(), css);
      await page.keyboard.press('Backspace');
      await page.type(css, text);
    },
    press: async (css, key) => { await page.focus(css); await page.keyboard.press(key); },
    select: (css, value) => page.select(css, value).then(() => undefined),
    viewport: (width, height) => page.setViewport({ width, height }),
    // Printing uses print media itself (emulateMediaType needs CDP, which Firefox lacks).
    pdf: () => page.pdf({ format: 'A4' }),
    close: () => browser.close(),
  };
}

/** A free loopback port. */
async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((ok) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

async function webkit() {
  const { Builder, By, Key } = await import('selenium-webdriver');
  const { spawn } = await import('node:child_process');
  const binary = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
  // selenium-webdriver has no WebKitGTK module: WebKitWebDriver runs on a
  // loopback port of its own and the session is asked of it as of any server.
  const port = await freePort();
  const service = spawn(process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore' });
  const stopService = () => service.kill();
  let session;
  for (let attempt = 0; ; attempt += 1) {
    try {
      session = await new Builder()
        .usingServer(`http://127.0.0.1:${port}`)
        .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary, args: ['--automation'] } })
        .build();
      break;
    } catch (e) {
      // The service takes a moment to listen.
      if (attempt > 50) { stopService(); throw e; }
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  await session.manage().window().setRect({ width: 1280, height: 900 });
  const find = (css) => session.findElement(By.css(css));
  // WebDriver hands a script its arguments; the function's source is sent as text.
  const evaluate = (fn, arg) => session.executeScript(`return (${fn}).apply(null, arguments)`, arg);
  const trap = () => session.executeScript(ERROR_TRAP);
  return {
    name: 'webkit',
    // WebDriver hands over no console log: errors are trapped from when each page has loaded.
    errorsMissed: 'WebDriver gives no console log: errors are caught only once each page has loaded',
    version: `WebKitGTK ${(await session.getCapabilities()).get('browserVersion')}`,
    errors: async () => session.executeScript('return window.__errors ?? []'),
    goto: async (url) => { await session.get(url); await trap(); },
    reload: async () => { await session.navigate().refresh(); await trap(); },
    url: () => session.getCurrentUrl(),
    evaluate,
    click: async (css) => (await find(css)).click(),
    type: async (css, text) => {
      const element = await find(css);
      await element.clear();
      await element.sendKeys(text);
    },
    press: async (css, key) => (await find(css)).sendKeys(Key[key.toUpperCase()] ?? key),
    select: async (css, value) => (await find(`${css} option[value="${value}"]`)).click(),
    viewport: async (width, height) => {
      await session.manage().window().setRect({ width, height });
      const inner = await session.executeScript('return innerWidth');
      if (inner > width) throw new Unsupported(`its window is at least ${inner} px wide, not ${width}`);
    },
    pdf: async () => { throw new Unsupported('WebKitWebDriver has no print command'); },
    screenshot: async () => Buffer.from(await session.takeScreenshot(), 'base64'),
    close: async () => { await session.quit().catch(() => {}); stopService(); },
  };
}

const LAUNCH = { chromium, firefox, webkit };

/** Starts one engine with one page, 1280 × 900. */
export async function open(engine) {
  const launch = LAUNCH[engine];
  if (!launch) throw new Error(`no driver for ${engine}`);
  const driver = await launch();
  driver.binaryVersion = engine === 'firefox' ? version(process.env.FIREFOX ?? '/usr/bin/firefox-esr') : driver.version;
  return driver;
}
