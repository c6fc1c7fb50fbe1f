import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

/**
 * Writes `data` to `file` through a temporary file in the same folder, fsync
 * and rename: readers see the old file or the new one, never half of it.
 */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
