/**
 * Rewrites a WebAssembly binary that defines its own memory into one that
 * imports it (`module`.`name`), with the given limits and `shared` flag, so
 * the caller can hand it a `WebAssembly.Memory({ shared: true })` that worker
 * threads share. Memory indices do not change (the defined memory 0 becomes
 * the imported memory 0), so the code, the data segments and the memory's
 * export are left as they are. Throws when the binary is not one this applies
 * to: not wasm, no memory of its own, or more than one.
 */
export function importMemory(
  bytes: Uint8Array,
  { module, name, maximumPages, shared }: { module: string; name: string; maximumPages: number; shared: boolean },
): { bytes: Uint8Array<ArrayBuffer>; initialPages: number } {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error(`importMemory: not a WebAssembly binary (first bytes ${[...bytes.subarray(0, 4)].join(',')}).`);
  }
  const sections: Array<{ id: number; body: Uint8Array }> = [];
  for (let at = 8; at < bytes.length;) {
    const id = bytes[at++]!;
    const [size, next] = readU32(bytes, at);
    sections.push({ id, body: bytes.subarray(next, next + size) });
    at = next + size;
  }
  const memory = sections.findIndex((s) => s.id === MEMORY_SECTION);
  if (memory < 0) throw new Error('importMemory: the binary defines no memory (does it import one already?).');
  const memoryBody = sections[memory]!.body;
  const [count, limitsAt] = readU32(memoryBody, 0);
  if (count !== 1) throw new Error(`importMemory: the binary defines ${count} memories; expected 1.`);
  const [, initialAt] = readU32(memoryBody, limitsAt); // flags
  const [initialPages] = readU32(memoryBody, initialAt);
  if (initialPages > maximumPages) {
    throw new Error(`importMemory: the binary needs ${initialPages} pages, over the maximum of ${maximumPages}.`);
  }
  const entry = [
    ...name_(module),
    ...name_(name),
    0x02, // memory
    shared ? 0x03 : 0x01, // limits with a maximum (and shared)
    ...u32(initialPages),
    ...u32(maximumPages),
  ];
  let imports = sections.findIndex((s) => s.id === IMPORT_SECTION);
  if (imports < 0) {
    // The import section goes before the function section (after type).
    const after = sections.findIndex((s) => s.id > IMPORT_SECTION && s.id !== 0);
    imports = after < 0 ? sections.length : after;
    sections.splice(imports, 0, { id: IMPORT_SECTION, body: Uint8Array.of(0) });
  }
  const importBody = sections[imports]!.body;
  const [importCount, rest] = readU32(importBody, 0);
  sections[imports] = {
    id: IMPORT_SECTION,
    body: Uint8Array.from([...u32(importCount + 1), ...importBody.subarray(rest), ...entry]),
  };
  const out = sections.filter((s) => s.id !== MEMORY_SECTION);
  const parts = [bytes.subarray(0, 8), ...out.flatMap((s) => [Uint8Array.of(s.id, ...u32(s.body.length)), s.body])];
  const result = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    result.set(p, at);
    at += p.length;
  }
  return { bytes: result, initialPages };
}

const IMPORT_SECTION = 2;
const MEMORY_SECTION = 5;

function readU32(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('importMemory: the binary ends inside a number.');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, at];
  }
}

function u32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

function name_(text: string): number[] {
  const utf8 = new TextEncoder().encode(text);
  return [...u32(utf8.length), ...utf8];
}
