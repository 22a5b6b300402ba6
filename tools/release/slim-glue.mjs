// Slims what wasm-bindgen writes at length. Every import it writes
// (`__wbg_setattribute_8c36bd…`, 159 of them in the field app) gets a short name, in the wasm's import section and in the
// JS glue that supplies it. The 16-hex-digit hash in each name cannot be
// compressed and is written twice: renaming saves about 5 KB gzip of the first
// load (measured: wasm −2.9 KB, JS −2.1 KB). Long export names (closure shims
// named by hash) get short names the same way, and custom sections, which
// only tools read, are dropped. Code, types and order stay as they are.

// Unsigned LEB128, as the wasm binary format writes lengths and counts.
export const readU32 = (bytes, at) => {
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
export const u32 = (value) => {
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

/** Returns [wasm, js] with wasm-bindgen's import and export names shortened in both. */
export function slimGlue(wasm, js) {
  const renamed = new Map();
  const sections = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const end = start + size;
    // Custom sections (producers, target features, a wasm-split marker)
    // are for tools; browsers skip them.
    if (id === 0) {
      at = end;
      continue;
    }
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
    sections.push(Buffer.concat([Buffer.from([2]), u32(body.length), body]));
    at = end;
  }
  // Exports the glue reads as properties (`wasm.__wbindgen_malloc`, closure
  // shims named by hash): short too. Each must appear only as such a read.
  const exported = new Map();
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i];
    if (section[0] !== 7) continue;
    let [, start] = readU32(section, 1);
    let [count, p] = readU32(section, start);
    const parts = [u32(count)];
    for (let n = 0; n < count; n++) {
      const [len, f] = readU32(section, p);
      const field = section.subarray(f, f + len).toString('utf8');
      const rest = f + len;
      p = readU32(section, rest + 1)[1];
      const reads = js.match(new RegExp(`\\.${field}\\b`, 'g'))?.length ?? 0;
      const mentions = js.match(new RegExp(`\\b${field}\\b`, 'g'))?.length ?? 0;
      let short = field;
      if (field.length > 6 && reads > 0 && reads === mentions) {
        short = `$${exported.size.toString(36)}`;
        exported.set(field, short);
      }
      parts.push(name(short), section.subarray(rest, p));
    }
    const body = Buffer.concat(parts);
    sections[i] = Buffer.concat([Buffer.from([7]), u32(body.length), body]);
  }
  for (const [from, to] of exported) js = js.replace(new RegExp(`\\.${from}\\b`, 'g'), `.${to}`);
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
