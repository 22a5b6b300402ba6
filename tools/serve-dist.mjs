// Serves the release build in dist/ on http://127.0.0.1:${PORT:-8080}/ until stopped.
import { fileURLToPath } from 'node:url';
import { serveFolder } from './static-server.mjs';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const server = await serveFolder(dist, Number(process.env.PORT ?? 8080));
console.log(`项目台账 is served at ${server.url} (Ctrl+C stops it)`);
