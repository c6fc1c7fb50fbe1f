import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { isGzip, readBytes } from './read_bytes.js';

const dir = await mkdtemp(join(tmpdir(), 'read-bytes-'));
const content = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);

describe('readBytes', () => {
  it('reads a plain file as it is', async () => {
    await writeFile(join(dir, 'plain'), content);
    expect(await readBytes(join(dir, 'plain'))).toEqual(Buffer.from(content));
  });

  it('decompresses gzip by its magic bytes, whatever the name', async () => {
    await writeFile(join(dir, 'no-extension'), gzipSync(content));
    expect(isGzip(gzipSync(content))).toBe(true);
    expect(isGzip(content)).toBe(false);
    expect(await readBytes(join(dir, 'no-extension'))).toEqual(Buffer.from(content));
  });

  it('names a missing file', async () => {
    const file = join(dir, 'missing.gz');
    await expect(readBytes(file)).rejects.toThrow(new DataError(file, 'file not found', 'check the path'));
  });

  it('names a folder passed as a file', async () => {
    await expect(readBytes(dir)).rejects.toThrow(`${dir}: is a folder, not a file; pass the file inside it`);
  });

  it('says a corrupt gzip file is probably truncated', async () => {
    const file = join(dir, 'cut.gz');
    await writeFile(file, gzipSync(content).subarray(0, 40));
    await expect(readBytes(file)).rejects.toThrow(
      /cut\.gz: is gzip-compressed but does not decompress \(.+\); it is probably truncated: download it again$/,
    );
  });
});
