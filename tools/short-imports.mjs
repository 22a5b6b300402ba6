// Gives every import wasm-bindgen writes (`__wbg_setattribute_8c36bd…`, 159 of
// them in the field app) a short name, in the wasm's import section and in the
// JS glue that supplies it. The 16-hex-digit hash in each name cannot be
// compressed and is written twice: renaming saves about 5 KB gzip of the first
// load (measured: wasm −2.9 KB, JS −2.1 KB). Only names are changed; code, types
// and the order of imports stay as they are.

// Unsigned LEB128, as the wasm binary format writes lengths and counts.
const readU32 = (bytes, at) => {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
};
const u32 = (value) => {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
};
const name = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
};

// The end of an import's descriptor: a function, table, memory or global.
const skipDescriptor = (bytes, at) => {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = readU32(bytes, p);
    if (flags & 1) [, p] = readU32(bytes, p);
    return p;
  };
  if (kind === 0) return readU32(bytes, at)[1];
  if (kind === 1) return limits(at + 1);
  if (kind === 2) return limits(at);
  if (kind === 3) return at + 2;
  throw new Error(`short-imports: unknown import kind ${kind}`);
};

/** Returns [wasm, js] with wasm-bindgen's import names shortened in both. */
export function shortenImports(wasm, js) {
  const renamed = new Map();
  const sections = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const end = start + size;
    if (id !== 2) {
      sections.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [count, p] = readU32(wasm, start);
    const parts = [u32(count)];
    for (let i = 0; i < count; i++) {
      const [moduleLen, m] = readU32(wasm, p);
      const module = wasm.subarray(m, m + moduleLen).toString('utf8');
      const [fieldLen, f] = readU32(wasm, m + moduleLen);
      const field = wasm.subarray(f, f + fieldLen).toString('utf8');
      const descriptor = f + fieldLen;
      p = skipDescriptor(wasm, descriptor);
      let short = field;
      if (/^__wb(g|indgen)_/.test(field)) {
        short = renamed.get(field) ?? `$${renamed.size.toString(36)}`;
        renamed.set(field, short);
      }
      parts.push(name(module), name(short), wasm.subarray(descriptor, p));
    }
    const body = Buffer.concat(parts);
    sections.push(Buffer.from([2]), u32(body.length), body);
    at = end;
  }
  for (const [from, to] of renamed) {
    // Each name is one key of the imports object; anything else means the glue
    // is not what this was written for, and the build stops.
    const pattern = new RegExp(`\\b${from}\\b`, 'g');
    const found = js.match(pattern)?.length ?? 0;
    if (found !== 1) throw new Error(`short-imports: ${from} is in the JS ${found} times, not once`);
    js = js.replace(pattern, to);
  }
  return [Buffer.concat(sections), js];
}
