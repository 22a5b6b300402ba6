// Loads the sync engine (a wasm of its own, built from src/sync_engine/index.html into
// engine/) into this page the first time it is needed: once a server is set
// or the 同步 page opens, so a device that never syncs never downloads it.
// `path` is relative to the page (an import is relative to this file).
let engine = null;

export function loadEngine(path, onStatus) {
  if (!engine) {
    const loading = (async () => {
      const module = await import(new URL(path, document.baseURI).href);
      await module.default();
      await module.start(onStatus);
      return module;
    })();
    engine = loading;
    // A failed load (offline before the first visit had cached it) is tried
    // again next time.
    loading.catch(() => { if (engine === loading) engine = null; });
  }
  return engine;
}

/**
 * At an app's start: loads the engine if someone is signed in on this device;
 * else loads it when someone signs in in another tab (the engines tell each
 * other on this channel), so this tab syncs on after that one is closed.
 */
export function startSync(path, onStatus, signedIn) {
  if (signedIn) return loadEngine(path, onStatus);
  const channel = new BroadcastChannel('project-ledger-sync');
  channel.onmessage = () => {
    channel.close();
    loadEngine(path, onStatus).catch(() => {});
  };
  return Promise.resolve();
}

/** Draws the 同步 page into #sync-page, loading the engine first if need be. */
export async function mountPage(path, onStatus, nameOf) {
  const engine = await loadEngine(path, onStatus);
  const root = document.getElementById('sync-page');
  if (root) engine.mountPage(root, nameOf);
}

/**
 * 报送, for a device with no sync server: a button at the end of the header
 * (drawn here, not by the app, to keep the phone's first download small).
 * A tap loads the engine and has it hand this device's new edits over:
 * `handing()` gives [the device, the file's name] (both known only once
 * storage is open); the line the engine answers shows under the header,
 * `nothing` when there was nothing to hand over, `failed` when the engine
 * would not load. `done()` after each tap.
 */
export function handOverButton(path, onStatus, label, nothing, failed, handing, done) {
  requestAnimationFrame(() => {
    const header = document.querySelector('header.top');
    if (!header) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'hand-over';
    button.dataset.testid = 'hand-over';
    button.textContent = label;
    const said = document.createElement('p');
    said.className = 'hand-over-said';
    said.setAttribute('role', 'status');
    said.dataset.testid = 'hand-over-said';
    // Held until its work is done, so a double tap makes one file, one dialog.
    button.onclick = async () => {
      if (button.disabled) return;
      button.disabled = true;
      try {
        const engine = await loadEngine(path, onStatus);
        const [device, name] = handing();
        said.textContent = (await engine.handOver(device, name)) || nothing;
      } catch {
        said.textContent = failed;
      }
      button.disabled = false;
      done();
    };
    header.append(button, said);
  });
}
