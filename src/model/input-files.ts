// The one way stsvol opens a file it was given (--from, --prices, --kubeconfig, a plan to apply):
// a regular file, or standard input where a flag allows "-". A device (/dev/zero, /dev/urandom)
// never ends and a FIFO may never open: reading one would hang or fill memory, so it is an input
// error naming the path, before anything is read.

import { readFileSync, statSync } from 'node:fs';
import { firstLine, InputError } from './errors.ts';

export type FileKind = 'file' | 'directory' | 'missing' | 'device' | 'pipe' | 'socket' | 'unreadable';

export function fileKind(path: string): FileKind {
  try {
    const stat = statSync(path);
    if (stat.isFile()) return 'file';
    if (stat.isDirectory()) return 'directory';
    if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'device';
    if (stat.isFIFO()) return 'pipe';
    return 'socket';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
}

/** Throws the one-line error for a path that is not a regular file. */
export function requireRegularFile(path: string, flag: string): void {
  const kind = fileKind(path);
  if (kind === 'file') return;
  if (kind === 'missing') throw new InputError(`${flag} ${path}: no such file`);
  if (kind === 'unreadable') throw new InputError(`${flag} ${path}: cannot be read`);
  throw new InputError(`${flag} ${path}: not a regular file (a ${kind}); give a file`);
}

/** A small file (a price table, a plan) read whole: regular files only, at most `maxBytes`. */
export function readSmallFile(path: string, flag: string, maxBytes = 16 << 20): string {
  requireRegularFile(path, flag);
  if (statSync(path).size > maxBytes) throw new InputError(`${flag} ${path}: larger than ${maxBytes >> 20} MiB, which no such file needs`);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${flag} ${path}: ${firstLine(err)}`);
  }
}
