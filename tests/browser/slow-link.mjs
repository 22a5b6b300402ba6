// A static host behind a slow phone link, for the first-visit benchmark. The
// link is modelled at the server, so the service worker's fetches share it with
// the page's own (Chromium's network emulation leaves a worker's fetches out):
// - every response starts one round trip after its request (request up,
//   first byte down); with `connecting`, a new connection costs one round
//   trip more (TCP's handshake; no TLS), as HTTP/1.1's six connections do.
//   Without it, as Chromium's own network throttling (DevTools, Lighthouse's
//   devtools mode), connections are free;
// - every response's bytes share one pipe of `bitsPerSecond`, in turns of one
//   TCP segment, as concurrent downloads share a phone's link;
// - compressible files go gzip -9 (what tools/size.mjs counts), with the cache
//   headers of server/nginx/project-ledger.conf.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const SEGMENT = 1460;
const TICK_MS = 5;

/**
 * Serves `root` on 127.0.0.1 through the modelled link. `log` gets one entry
 * per response: path, who asked (the page or the service worker), bytes on the
 * wire, and when (Date.now()) it was asked for and fully sent.
 */
export async function serveSlow(root, { bitsPerSecond, rttMs, connecting = false }) {
  const bytesPerMs = bitsPerSecond / 8 / 1000;
  const log = [];
  const sending = [];
  const bodies = new Map();
  let credit = 0;
  let last = Date.now();
  // One pipe: each tick's bytes go a segment at a time to each open response in turn.
  const pump = setInterval(() => {
    const now = Date.now();
    credit = sending.length === 0 ? 0 : credit + (now - last) * bytesPerMs;
    last = now;
    while (credit >= SEGMENT && sending.length > 0) {
      const out = sending.shift();
      const piece = out.body.subarray(out.at, out.at + SEGMENT);
      out.at += piece.length;
      credit -= piece.length;
      if (out.at < out.body.length) {
        out.res.write(piece);
        sending.push(out);
      } else {
        out.res.end(piece);
        out.entry.done = Date.now();
      }
    }
  }, TICK_MS);
  const body = async (file) => {
    if (!bodies.has(file)) {
      const raw = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const zip = !type.startsWith('image/png');
      bodies.set(file, { type, bytes: zip ? gzipSync(raw, { level: 9 }) : raw, zip });
    }
    return bodies.get(file);
  };
  const server = createServer(async (req, res) => {
    const asked = Date.now();
    const fresh = !req.socket.seen;
    req.socket.seen = true;
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    const by = (req.headers.referer ?? '').endsWith('/sw.js') || req.headers['service-worker'] ? 'worker' : 'page';
    let found;
    try {
      found = file.startsWith(root) ? await body(file) : null;
    } catch {
      found = null;
    }
    setTimeout(() => {
      if (!found) {
        res.writeHead(404).end();
        return;
      }
      const hashed = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css|svg)$/.test(path);
      res.writeHead(200, {
        'content-type': found.type,
        'content-length': found.bytes.length,
        'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...(found.zip ? { 'content-encoding': 'gzip' } : {}),
      });
      const entry = { path, by, bytes: found.bytes.length, asked, done: null };
      log.push(entry);
      sending.push({ res, body: found.bytes, at: 0, entry });
    }, rttMs * (fresh && connecting ? 2 : 1));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    log,
    /** The gzip -9 bytes of a file as this server sends it. */
    wireBytes: async (path) => (await body(join(root, path))).bytes.length,
    close: () => new Promise((resolve) => {
      clearInterval(pump);
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
