// Writing a file the user named: never over a directory or a device, and atomically (a temporary
// file renamed into place, removed on failure), so a reader never sees half of it and a failed run
// leaves nothing behind.

import { createWriteStream, lstatSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../model/errors.ts';

/** A write that could not be completed: exit 74, and the partial file is gone. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** Refuses a target that is not a regular file before the cluster is read. */
export function checkTarget(path: string, flag = '-f'): void {
  if (path === '-') return;
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return; // a new file
  }
  if (stat.isDirectory()) throw new InputError(`${flag} ${path}: is a directory; give a file name (or - for standard output)`);
  if (!stat.isFile()) throw new InputError(`${flag} ${path}: is not a regular file (a device, pipe or link); give a file name (or - for standard output)`);
}

/** Writes every part and closes the file, failing on the first error (a full disk, a size limit):
 *  a stream's end callback is called on error too, so the error is checked, not assumed away. */
async function writeStream(stream: WriteStream, parts: Iterable<string>): Promise<void> {
  let error: Error | undefined;
  stream.on('error', (err) => (error ??= err));
  for (const part of parts) {
    if (error) break;
    if (!stream.write(part)) await new Promise<void>((resolve) => {
      stream.once('drain', () => resolve());
      stream.once('error', () => resolve());
    });
  }
  await new Promise<void>((resolve) => stream.end((err?: Error | null) => {
    if (err) error ??= err;
    resolve();
  }));
  if (error) throw error;
}

export async function writeFileAtomically(path: string, parts: Iterable<string>, flag = '-f'): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    await writeStream(createWriteStream(temporary, { flags: 'wx', flush: true }), parts);
    renameSync(temporary, path); // a reader never sees half a snapshot
  } catch (err) {
    rmSync(temporary, { force: true });
    throw new OutputError(`${flag} ${path}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}; nothing was written`);
  }
}

