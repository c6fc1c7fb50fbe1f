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
  const reader = zipEntryReader(caps, where);
  reader.push(bytes, true);
  return reader.entries();
}

/**
 * {@link readZipEntries} of an archive read in pieces (a file streamed from
 * disk): only the entries wanted are ever held, never the whole archive
 * beside them.
 */
export async function readZipEntriesFrom(
  pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  caps: ReadonlyMap<string, number>,
  where: string,
): Promise<Map<string, Uint8Array>> {
  const reader = zipEntryReader(caps, where);
  for await (const piece of pieces) reader.push(piece, false);
  reader.push(new Uint8Array(0), true);
  return reader.entries();
}

/** Pushes an archive's bytes, in order, to `push`; `entries` once the last push said `final`. */
function zipEntryReader(caps: ReadonlyMap<string, number>, where: string) {
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
    const entry = new EntryBytes(file.originalSize);
    file.ondata = (err, chunk, final) => {
      if (failure !== undefined) return;
      if (err) {
        failure = archiveError('bad-archive', `${where}: "${file.name}" does not inflate: ${err.message}`);
        return;
      }
      if (entry.size + chunk.length > cap) {
        failure = archiveError(
          'too-large',
          `${where}: "${file.name}" inflates past its ${cap}-byte cap ` +
            `(declared ${file.originalSize ?? 'unknown'} bytes)`,
        );
        file.terminate();
        return;
      }
      entry.add(chunk);
      if (final) found.set(file.name, entry.bytes());
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  return {
    push(bytes: Uint8Array, final: boolean): void {
      try {
        // Fed in 16 KiB slices: a lying entry is stopped within one slice's output (deflate expands at most
        // ~1032x: 16 MiB).
        const step = 1 << 14;
        for (let i = 0; i < bytes.length && failure === undefined; i += step)
          unzip.push(bytes.subarray(i, Math.min(i + step, bytes.length)), final && i + step >= bytes.length);
        if (bytes.length === 0 && failure === undefined) unzip.push(bytes, final);
      } catch (e) {
        failure ??= archiveError('bad-archive', `${where}: not a readable zip archive: ${message(e)}`);
      }
      if (failure !== undefined) throw failure;
    },
    entries: () => found,
  };
}

/**
 * One entry's bytes as its chunks arrive. A stored entry of an archive held
 * in memory (Keras writes `model.weights.h5` uncompressed) comes as
 * consecutive views of the archive's bytes, and stays one view of them, not a
 * copy (for VGG16, 528 MiB less at the peak). Other chunks are copied as they
 * come into one buffer of the size the header declares, so that the chunks
 * and their joined copy are never held together.
 */
class EntryBytes {
  size = 0;
  private view: Uint8Array | undefined;
  private copy: Uint8Array | undefined;
  private chunks: Uint8Array[] = [];

  constructor(private readonly declared: number | undefined) {}

  add(chunk: Uint8Array): void {
    if (this.copy === undefined && this.continuesView(chunk)) {
      this.view = new Uint8Array(chunk.buffer, (this.view ?? chunk).byteOffset, this.size + chunk.length);
    } else if (this.chunks.length === 0 && this.declared !== undefined && this.size + chunk.length <= this.declared) {
      if (this.copy === undefined) {
        this.copy = new Uint8Array(this.declared);
        if (this.view !== undefined) this.copy.set(this.view);
        this.view = undefined;
      }
      this.copy.set(chunk, this.size);
    } else {
      // No declared size (a data descriptor), or more bytes than declared: kept as chunks, joined at the end.
      const sofar = this.view ?? this.copy;
      if (sofar !== undefined) this.chunks.push(sofar.subarray(0, this.size));
      this.view = this.copy = undefined;
      this.chunks.push(chunk);
    }
    this.size += chunk.length;
  }

  bytes(): Uint8Array {
    if (this.chunks.length === 0) return (this.view ?? this.copy ?? new Uint8Array(0)).subarray(0, this.size);
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  private continuesView(chunk: Uint8Array): boolean {
    if (this.chunks.length > 0) return false;
    if (this.view === undefined) return this.size === 0;
    return chunk.buffer === this.view.buffer && chunk.byteOffset === this.view.byteOffset + this.size;
  }
}

/** A zip archive of `entries` (deflated), as Keras writes `.keras` files. */
export function writeZip(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(entries, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}

function archiveError(problem: 'bad-archive' | 'too-large', text: string): Error {
  return new ModelFileError(problem, text);
}
