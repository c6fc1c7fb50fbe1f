import { Unzip, UnzipInflate, zipSync, type UnzipFile } from 'fflate';
import { ModelFileError } from '../io/model_file_error.js';
import { message } from './hdf5.js';

/**
 * Reads the entries named in `caps` out of a zip archive in memory, each
 * inflated only while it stays under its cap: an entry whose declared size
 * is over its cap is never inflated, and one that inflates past it (a lying
 * header) is stopped at the cap. Every other entry (`../../etc/passwd`,
 * `assets/...`, anything) is skipped without being inflated or written
 * anywhere. A wanted name appearing twice is refused: zip readers disagree
 * on which copy wins.
 */
export function readZipEntries(
  bytes: Uint8Array,
  caps: ReadonlyMap<string, number>,
  where: string,
): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  const seen = new Set<string>();
  let failure: Error | undefined;
  const unzip = new Unzip((file: UnzipFile) => {
    const cap = caps.get(file.name);
    if (cap === undefined || failure !== undefined) return; // never started: not inflated
    if (seen.has(file.name)) {
      failure = archiveError('bad-archive', `${where}: the archive holds "${file.name}" twice`);
      return;
    }
    seen.add(file.name);
    if (file.originalSize !== undefined && file.originalSize > cap) {
      failure = archiveError(
        'too-large',
        `${where}: "${file.name}" declares ${file.originalSize} bytes uncompressed, over its ${cap}-byte cap`,
      );
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (failure !== undefined) return;
      if (err) {
        failure = archiveError('bad-archive', `${where}: "${file.name}" does not inflate: ${err.message}`);
        return;
      }
      size += chunk.length;
      if (size > cap) {
        failure = archiveError(
          'too-large',
          `${where}: "${file.name}" inflates past its ${cap}-byte cap ` +
            `(declared ${file.originalSize ?? 'unknown'} bytes)`,
        );
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) found.set(file.name, concat(chunks, size));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    // Fed in 16 KiB slices: a lying entry is stopped within one slice's output (deflate expands at most ~1032x: 16
    // MiB).
    const step = 1 << 14;
    for (let i = 0; i < bytes.length && failure === undefined; i += step)
      unzip.push(bytes.subarray(i, Math.min(i + step, bytes.length)), i + step >= bytes.length);
    if (bytes.length === 0) unzip.push(bytes, true);
  } catch (e) {
    failure ??= archiveError('bad-archive', `${where}: not a readable zip archive: ${message(e)}`);
  }
  if (failure !== undefined) throw failure;
  return found;
}

/** A zip archive of `entries` (deflated), as Keras writes `.keras` files. */
export function writeZip(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(entries, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}

function archiveError(problem: 'bad-archive' | 'too-large', text: string): Error {
  return new ModelFileError(problem, text);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  // A stored entry (Keras writes `model.weights.h5` uncompressed) comes as consecutive views of the archive's
  // bytes: one view of them, not a copy (for VGG16, 528 MiB less at the peak).
  const first = chunks[0];
  let end = first.byteOffset;
  if (chunks.every((c) => c.buffer === first.buffer && c.byteOffset === end && ((end += c.length), true)))
    return new Uint8Array(first.buffer, first.byteOffset, size);
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
