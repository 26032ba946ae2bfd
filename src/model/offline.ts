// Reads what `kubectl get ... -o yaml|json` and `stsvol snapshot` write: files or directories (also
// through symlinks), YAML (one or many documents) or JSON (one or several values), single objects
// or lists, and `-` for standard input. Files of any size are read as a stream.
//
// The input contract (README, "Input"): a syntax error stops the load with the file and line; an
// object of the wrong shape, or a document that is not a Kubernetes object, is skipped with a
// notice and never reaches a check; a --from path that yields no Kubernetes object at all is an
// error, never a clean report; an object given twice (two files, two lists, two --from) counts once.

import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { requireRegularFile } from './input-files.ts';
import { join } from 'node:path';
import { CAPTURED_AT_ANNOTATION, NOTICES_ANNOTATION } from './annotations.ts';
import { InputError } from './errors.ts';
import { KIND_NOTICES, SnapshotCollector, type CollectorOptions, type Notice, type Snapshot } from './snapshot.ts';
import { displayName, readUnits } from './readers.ts';
import { readRecordedNotices } from './recorded-notices.ts';
import { parseTime } from './time.ts';

const READABLE = /\.(ya?ml|json)$/i;

export interface OfflineLoad {
  snapshot: Snapshot;
  files: string[];
  /** Objects of kinds stsvol does not read (Secrets, Services, ...), dropped unread. */
  ignored: number;
}

export async function loadOffline(paths: string[], options: CollectorOptions = {}): Promise<OfflineLoad> {
  const collector = new SnapshotCollector(options);
  const input = new InputState(collector);
  const seen = new Set<string>();
  const files: string[] = [];
  for (const path of paths) {
    const found = filesOf(path, seen);
    if (found === 'read already') continue;
    let objects = 0;
    for (const file of found) objects += await input.read(file);
    if (objects === 0) throw new InputError(`--from ${displayName(path)}: holds no Kubernetes object${found.length > 1 ? ` in its ${found.length} files` : ''}`);
    for (const file of found) files.push(file);
  }
  const snapshot = collector.finish();
  // Appended one by one (a spread of a long list would overflow the call stack); the recorded
  // ones first, so that a kind a snapshot could not read is not also called absent.
  for (const notice of input.recordedNotices) snapshot.notices.push(notice);
  // A file of `stsvol snapshot` listed every kind it could read (the others are recorded): there, an
  // empty kind is a fact about the cluster, not a gap in the dump.
  if (input.capturedAt !== undefined) snapshot.capturedAt = input.capturedAt;
  else for (const notice of absentKinds(snapshot, input.listedKinds)) snapshot.notices.push(notice);
  return { snapshot, files, ignored: input.ignored };
}

// ---- finding the files ----

function statOf(path: string, what: string): Stats {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${what}: no such file or directory`);
    if (code === 'ELOOP') throw new InputError(`${what}: symlink loop`);
    if (code === 'EACCES') throw new InputError(`${what}: permission denied`);
    throw new InputError(`${what}: cannot read: ${code ?? String(err)}`);
  }
}

/** The files a --from path names; each file (by its real path) is read once in the whole load. */
function filesOf(path: string, seen: Set<string>): string[] | 'read already' {
  if (path === '-') {
    // Standard input is read once, however often it is named.
    if (seen.has('-')) return 'read already';
    seen.add('-');
    return ['-'];
  }
  const stat = statOf(path, `--from ${path}`);
  if (!stat.isDirectory()) {
    if (!stat.isFile()) requireRegularFile(path, '--from');
    return once(path, seen) ? [path] : 'read already';
  }
  if (seen.has(realpathSync(path))) return 'read already'; // else walk() would find it empty
  const found: string[] = [];
  const manifests = walk(path, seen, found);
  if (manifests === 0) throw new InputError(`--from ${path}: directory holds no .yaml, .yml or .json file`);
  return found.length ? found : 'read already';
}

function once(path: string, seen: Set<string>): boolean {
  const real = realpathSync(path);
  if (seen.has(real)) return false;
  seen.add(real);
  return true;
}

/** Directories are followed through symlinks; a directory reached again (a symlink loop, or two
 *  paths to one place) is not read again. Returns how many manifest files it saw, read before or not. */
function walk(dir: string, seen: Set<string>, found: string[]): number {
  if (!once(dir, seen)) return 0;
  let manifests = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputError(`--from ${dir}: cannot read directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // A link named like a manifest must resolve; other dangling links are not ours to judge.
      if (!READABLE.test(entry.name) && !exists(path)) continue;
      const target = statOf(path, `--from ${path}`);
      isDir = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDir) {
      manifests += walk(path, seen, found);
    } else if (isFile && READABLE.test(entry.name)) {
      manifests++;
      if (once(path, seen)) found.push(path);
    }
  }
  return manifests;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

// ---- reading them ----

interface ListHeader {
  kind?: unknown;
  metadata?: { annotations?: Record<string, unknown> };
}

function isListLike(value: Record<string, unknown>): boolean {
  return Array.isArray(value.items) && (value.kind === undefined || (typeof value.kind === 'string' && value.kind.endsWith('List')));
}

/** A typed list from the API (PodList) leaves kind off its items; `kubectl get` (List) keeps it. */
function itemKindOf(header: ListHeader): string | undefined {
  return typeof header.kind === 'string' && header.kind !== 'List' && header.kind.endsWith('List') ? header.kind.slice(0, -'List'.length) : undefined;
}

class InputState {
  ignored = 0;
  capturedAt: number | undefined;
  readonly recordedNotices: Notice[] = [];
  /** Kinds of the typed lists read (PersistentVolumeClaimList): an empty one says the cluster has
   *  none, where an untyped empty List says nothing. */
  readonly listedKinds = new Set<string>();
  private readonly collector: SnapshotCollector;

  constructor(collector: SnapshotCollector) {
    this.collector = collector;
  }

  /** Reads a file; returns how many Kubernetes objects (of any kind) it held. */
  async read(file: string): Promise<number> {
    const name = displayName(file);
    let objects = 0;
    let listKind: string | undefined;
    let pending: [unknown, string][] = [];
    for await (const batch of readUnits(file)) for (const unit of batch) {
      if (unit.type === 'value') {
        objects += this.document(unit.value, `${name}:${unit.line}`, 'itemLines' in unit ? unit.itemLines : undefined);
      } else if (unit.type === 'list-start') {
        this.captureTime(unit.header); // stsvol snapshot writes it before the items: no need to read every timestamp
        listKind = itemKindOf(unit.header);
        pending = [];
      } else if (unit.type === 'item') {
        const where = `${name}:${unit.line}`;
        if (listKind === undefined && !hasKind(unit.value)) pending.push([unit.value, where]); // the list's kind may come after its items
        else objects += this.item(unit.value, where, listKind);
      } else {
        this.header(unit.header);
        const kind = itemKindOf(unit.header);
        for (const [value, where] of pending) objects += this.item(value, where, kind);
        pending = [];
        listKind = undefined;
      }
    }
    return objects;
  }

  private document(value: unknown, where: string, itemLines?: number[], depth = 0): number {
    if (value === null || value === undefined) return 0; // an empty document, e.g. after a trailing ---
    if (Array.isArray(value)) return value.reduce<number>((n, v, i) => n + this.item(v, `${where}: item ${i}`, undefined, depth), 0);
    if (typeof value !== 'object') return this.refuse(where, `not a Kubernetes object (${typeof value})`);
    const obj = value as Record<string, unknown>;
    if (!isListLike(obj)) return this.item(obj, where, undefined);
    this.header(obj as ListHeader);
    const kind = itemKindOf(obj as ListHeader);
    const file = where.slice(0, where.lastIndexOf(':'));
    return (obj.items as unknown[]).reduce<number>((n, v, i) => n + this.item(v, itemLines?.[i] ? `${file}:${itemLines[i]}` : `${where}: item ${i}`, kind, depth), 0);
  }

  private item(value: unknown, where: string, listKind: string | undefined, depth = 0): number {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.refuse(where, `not a Kubernetes object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`);
    const obj = value as { kind?: unknown; items?: unknown };
    if (obj.kind === undefined && listKind) obj.kind = listKind;
    if (typeof obj.kind !== 'string' || obj.kind === '') return this.refuse(where, 'not a Kubernetes object (no kind)');
    if (isListLike(obj as Record<string, unknown>)) {
      return depth < MAX_LIST_DEPTH ? this.document(obj, where, undefined, depth + 1) : this.refuse(where, `a List nested more than ${MAX_LIST_DEPTH} deep`);
    }
    if (this.collector.add(obj, { source: where }) === 'unread') this.ignored++;
    return 1;
  }

  private refuse(where: string, message: string): number {
    this.collector.snapshot.notices.push({ kind: '', reason: 'invalid', source: where, message: `skipped: ${message}` });
    return 0;
  }

  /** What `stsvol snapshot` recorded on its list: when, and which kinds it could not read. */
  private header(header: ListHeader): void {
    this.captureTime(header);
    const kind = itemKindOf(header);
    if (kind) this.listedKinds.add(kind);
    const recorded = annotationsOf(header)?.[NOTICES_ANNOTATION];
    if (typeof recorded === 'string') for (const notice of readRecordedNotices(recorded)) this.recordedNotices.push(notice);
  }

  private captureTime(header: ListHeader): void {
    const captured = parseTime(annotationsOf(header)?.[CAPTURED_AT_ANNOTATION] as string | undefined);
    if (captured === undefined) return;
    this.capturedAt = Math.max(this.capturedAt ?? captured, captured);
    this.collector.knowClock();
  }
}

function annotationsOf(header: ListHeader): Record<string, unknown> | undefined {
  const annotations = header.metadata?.annotations;
  return annotations && typeof annotations === 'object' ? annotations : undefined;
}

function hasKind(value: unknown): boolean {
  return typeof (value as { kind?: unknown } | null)?.kind === 'string';
}

/** Lists inside Lists happen (kubectl get of several lists); deeper than this, or a YAML alias that
 *  makes a List contain itself, is not a dump. */
const MAX_LIST_DEPTH = 8;

// A dump without any object of these kinds most likely left them out (`kubectl get pods` alone):
// checks must not read their absence as "the node / class / volume / driver does not exist".
// The backup kinds too: audit must not read a dump's silence about them as "no backup".
const EXPECTED_IN_A_DUMP = ['Node', 'Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'Event', 'VolumeSnapshot', 'Schedule', 'Backup'] as const;

function absentKinds(snapshot: Snapshot, listed: ReadonlySet<string>): Notice[] {
  const count: Record<(typeof EXPECTED_IN_A_DUMP)[number], number> = {
    Node: snapshot.nodes.length, Pod: snapshot.pods.length, PersistentVolumeClaim: snapshot.claims.length,
    PersistentVolume: snapshot.volumes.length, StorageClass: snapshot.storageClasses.length, CSIDriver: snapshot.csiDrivers.length, Event: snapshot.events.length,
    VolumeSnapshot: snapshot.volumeSnapshots.length, Schedule: snapshot.veleroSchedules.length, Backup: snapshot.veleroBackups.length,
  };
  const recorded = new Set(snapshot.notices.filter((n) => KIND_NOTICES.has(n.reason)).map((n) => n.kind));
  return EXPECTED_IN_A_DUMP.filter((k) => count[k] === 0 && !recorded.has(k) && !listed.has(k)).map((kind) => ({ kind, reason: 'absent', message: `the input holds no ${kind} objects` }));
}
