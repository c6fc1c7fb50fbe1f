import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

/**
 * Writes `data` to `file` through a temporary file in the same folder, fsync
 * and rename: readers see the old file or the new one, never half of it.
 * On failure (a full disk, a file-size limit, a read-only folder) the
 * temporary file is removed and the file system's error is rethrown with
 * `path` set to `file`, the name the caller knows (Node's `write` errors
 * carry no path, `open`'s the temporary one).
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
    // A cleanup failure (e.g. ENOTDIR) must not hide the error that matters.
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    if (e instanceof Error && 'code' in e) (e as NodeJS.ErrnoException).path = file;
    throw e;
  }
}
