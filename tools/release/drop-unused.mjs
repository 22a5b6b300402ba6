// Drops what a dependency exports to JS that no app uses. wasm-streams (linked
// through leptos → server_fn) exports three classes, IntoUnderlyingByteSource,
// IntoUnderlyingSink and IntoUnderlyingSource; an export is a root, so their
// code, the browser calls only they make and their JS glue ship in every app
// although nothing here streams. Here, before terser and slim-glue: the
// classes lose their `export` (terser then drops them), their wasm exports go,
// wasm-opt removes what only those reached, and the glue's import entries
// for browser calls the wasm no longer imports go too. Anything not shaped as this was written for
// stops the build. Measured on the office app: wasm 2.2 KB and glue 0.4 KB gzip smaller.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readU32, u32 } from './slim-glue.mjs';

export const UNUSED_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];


/** The wasm without the exports `drop` names; returns [wasm, how many went]. */
function withoutExports(wasm, drop) {
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  let dropped = 0;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const end = start + size;
    if (id !== 7) {
      parts.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [count, p] = readU32(wasm, start);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const [len, f] = readU32(wasm, p);
      const name = wasm.subarray(f, f + len).toString('utf8');
      const [, next] = readU32(wasm, f + len + 1);
      if (drop(name)) dropped += 1;
      else kept.push(wasm.subarray(p, next));
      p = next;
    }
    const body = Buffer.concat([u32(kept.length), ...kept]);
    parts.push(Buffer.concat([Buffer.from([7]), u32(body.length), body]));
    at = end;
  }
  return [Buffer.concat(parts), dropped];
}

/** Returns [wasm, js] without the unused classes; unchanged when the glue has none. */
export function dropUnused(wasm, js, wasmOpt) {
  const present = UNUSED_CLASSES.filter((c) => js.includes(`export class ${c} {`));
  if (present.length === 0) return [wasm, js];
  const fail = (what) => { throw new Error(`drop-unused: ${what}; the glue is not what this was written for`); };
  for (const c of present) {
    const before = js;
    js = js.replace(`export class ${c} {`, `class ${c} {`)
      .replace(`if (Symbol.dispose) ${c}.prototype[Symbol.dispose] = ${c}.prototype.free;\n`, '')
      .replace(new RegExp(`^const ${c}Finalization = \\(typeof FinalizationRegistry === 'undefined'\\)\\n.*\\n.*;\\n`, 'm'), '');
    if (before.length - js.length < 100 || js.includes(`${c}Finalization =`) || js.includes(`${c}.prototype[Symbol.dispose]`)) fail(`${c} not found as expected`);
  }
  const lower = present.map((c) => c.toLowerCase());
  const [trimmed, dropped] = withoutExports(wasm, (name) => lower.some((c) => name.startsWith(`${c}_`) || name === `__wbg_${c}_free`));
  if (dropped === 0) fail('no wasm export of those classes');
  const dir = mkdtempSync(join(tmpdir(), 'drop-unused-'));
  try {
    writeFileSync(join(dir, 'in.wasm'), trimmed);
    // A whole -Os pass, not only removing what nothing reaches: with the roots
    // gone, what they kept apart folds together (1.2 KB more than removal alone).
    execFileSync(wasmOpt, ['-Os', join(dir, 'in.wasm'), '-o', join(dir, 'out.wasm')]);
    wasm = readFileSync(join(dir, 'out.wasm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Browser calls the wasm no longer imports leave the glue's import object.
  const imported = new Set(WebAssembly.Module.imports(new WebAssembly.Module(wasm)).map((i) => i.name));
  const entry = /^ {8}(__wbg_[A-Za-z0-9_]+): function[^\n]*\n(?: {12}[^\n]*\n|\n)*? {8}\}(?:, [^\n]*)?,?\n/gm;
  js = js.replace(entry, (text, name) => (imported.has(name) ? text : ''));
  for (const match of js.matchAll(/^ {8}(__wbg_[A-Za-z0-9_]+): /gm)) {
    if (!imported.has(match[1])) fail(`${match[1]} is no longer imported but its entry stayed`);
  }
  return [wasm, js];
}
