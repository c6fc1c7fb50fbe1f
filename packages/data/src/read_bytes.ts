import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DataError } from './errors.js';

const gunzipAsync = promisify(gunzip);

/** True when `bytes` start with the gzip magic number 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The contents of `file`, decompressed when it is gzip (detected by its magic
 * bytes, whatever its name). Failures become a `DataError` naming the file.
 */
export async function readBytes(file: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  if (!isGzip(raw)) return raw;
  try {
    return await gunzipAsync(raw);
  } catch (error) {
    throw new DataError(
      file,
      `is gzip-compressed but does not decompress (${errorText(error)})`,
      'it is probably truncated: download it again',
    );
  }
}

function unreadable(file: string, error: unknown): DataError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataError(file, 'file not found', 'check the path');
  if (code === 'EISDIR') return new DataError(file, 'is a folder, not a file', 'pass the file inside it');
  return new DataError(file, `cannot be read (${errorText(error)})`, 'check that it exists and is readable');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
