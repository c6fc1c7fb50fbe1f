import { readdir } from 'node:fs/promises';
import { DataError } from './errors.js';

/** The names of the entries of folder `dir`, or a `DataError` naming it. */
export async function listFolder(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(dir, 'folder not found', 'check the path');
    if (code === 'ENOTDIR')
      throw new DataError(dir, 'is a file, not a folder', 'pass the folder that holds the data files');
    throw new DataError(dir, `cannot be listed (${(error as Error).message})`, 'check that it exists and is readable');
  }
}
