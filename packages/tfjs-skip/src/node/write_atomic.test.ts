import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeAtomic } from './write_atomic.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'write-atomic-'));

describe('writeAtomic', () => {
  it('replaces the file', async () => {
    const file = join(tempDir(), 'a.json');
    writeFileSync(file, 'old');
    await writeAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
  });

  it('rethrows the file system error with the target path', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-folder'), '');
    const file = join(dir, 'not-a-folder', 'a.json');
    await expect(writeAtomic(file, 'x')).rejects.toMatchObject({ code: 'ENOTDIR', path: file });
  });

  it('at a file-size limit (ulimit -f): EFBIG naming the file, the old file intact, no temporary file left', () => {
    const dir = tempDir();
    const file = join(dir, 'weights.bin');
    writeFileSync(file, 'old');
    const module = fileURLToPath(new URL('./write_atomic.ts', import.meta.url));
    // Node ignores SIGXFSZ, so the write past the limit fails with EFBIG instead of killing the process.
    const script = `const { writeAtomic } = await import(${JSON.stringify(module)});
      await writeAtomic(${JSON.stringify(file)}, new Uint8Array(64 * 1024)).catch((e) => console.log(e.code, e.path));`;
    const child = spawnSync(
      'bash',
      ['-c', `ulimit -f 16 && exec "${process.execPath}" --import tsx --input-type=module -e '${script}'`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe(`EFBIG ${file}\n`);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['weights.bin']);
  });
});
