// Reads what `kubectl get ... -o yaml|json` and `stsvol snapshot` write: files or directories, YAML
// (one or many documents) or JSON, single objects or lists. Any malformed input stops the load
// with one error that names the file and line, before anything is analysed.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { CAPTURED_AT_ANNOTATION } from './annotations.ts';
import { InputError } from './errors.ts';
import { SnapshotCollector, type Notice, type Snapshot } from './snapshot.ts';
import { parseTime } from './time.ts';
import type { KubeObject } from './types.ts';

const READABLE = /\.(ya?ml|json)$/i;

export interface OfflineLoad {
  snapshot: Snapshot;
  files: string[];
  /** Objects of kinds stsvol does not read (Secrets, Services, ...), dropped unread. */
  ignored: number;
}

export function loadOffline(paths: string[]): OfflineLoad {
  const files = paths.flatMap(expandPath);
  const collector = new SnapshotCollector();
  let ignored = 0;
  let capturedAt: number | undefined;
  for (const file of files) {
    for (const doc of readDocuments(file)) {
      const captured = parseTime(doc.value.metadata?.annotations?.[CAPTURED_AT_ANNOTATION]);
      if (captured !== undefined) capturedAt = Math.max(capturedAt ?? captured, captured);
      for (const obj of objectsOf(doc)) if (!collector.add(obj)) ignored++;
    }
  }
  const snapshot = collector.finish();
  snapshot.notices.push(...absentKinds(snapshot));
  if (capturedAt !== undefined) snapshot.capturedAt = capturedAt;
  return { snapshot, files, ignored };
}

// A dump without any object of these kinds most likely left them out (`kubectl get pods` alone):
// checks must not read their absence as "the node / class / volume does not exist".
const EXPECTED_IN_A_DUMP = ['Node', 'Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'Event'] as const;

function absentKinds(snapshot: Snapshot): Notice[] {
  const count: Record<(typeof EXPECTED_IN_A_DUMP)[number], number> = {
    Node: snapshot.nodes.length, Pod: snapshot.pods.length, PersistentVolumeClaim: snapshot.claims.length,
    PersistentVolume: snapshot.volumes.length, StorageClass: snapshot.storageClasses.length, Event: snapshot.events.length,
  };
  return EXPECTED_IN_A_DUMP.filter((k) => count[k] === 0).map((kind) => ({ kind, reason: 'absent', message: `the input holds no ${kind} objects` }));
}

function expandPath(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new InputError(`--from ${path}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [path];
  const found = readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && READABLE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (found.length === 0) throw new InputError(`--from ${path}: directory holds no .yaml, .yml or .json file`);
  return found;
}

interface Document {
  file: string;
  line: number;
  value: KubeObject & { items?: unknown };
}

function readDocuments(file: string): Document[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  // JSON.parse is far faster than a YAML parser on the same text, and dumps of big clusters are JSON.
  return /^\s*[[{]/.test(text) ? readJson(file, text) : readYaml(file, text);
}

function readJson(file: string, text: string): Document[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : undefined;
    throw new InputError(`${file}${line ? `:${line}` : ''}: malformed JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, '')}`);
  }
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => ({ file, line: 1, value: asObject(v, file, 1) }));
}

function readYaml(file: string, text: string): Document[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const result: Document[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      throw new InputError(`${file}${at ? `:${at.line}` : ''}: malformed YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null || value === undefined) continue; // an empty document, e.g. after a trailing ---
    const line = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : 1;
    result.push({ file, line, value: asObject(value, file, line) });
  }
  return result;
}

function asObject(value: unknown, file: string, line: number): KubeObject & { items?: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${file}:${line}: expected a Kubernetes object or list, found ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as KubeObject;
}

/** The objects of a document: the document itself, or the items of a List / PodList / ... */
function* objectsOf(doc: Document): Generator<KubeObject> {
  const { value, file, line } = doc;
  if (typeof value.kind !== 'string' || value.kind === '') {
    throw new InputError(`${file}:${line}: object without kind`);
  }
  if (!(value.kind.endsWith('List') && Array.isArray(value.items))) {
    yield checked(value, file, line);
    return;
  }
  // A typed list from the API (PodList) leaves kind off its items; `kubectl get` (List) keeps it.
  const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
  const items = value.items as KubeObject[];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item && typeof item === 'object' && !item.kind && itemKind) item.kind = itemKind;
    yield checked(item, file, line, i);
  }
}

function checked(obj: KubeObject | undefined, file: string, line: number, index?: number): KubeObject {
  const where = index === undefined ? `${file}:${line}` : `${file}:${line}: item ${index}`;
  if (!obj || typeof obj !== 'object') throw new InputError(`${where}: not an object`);
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new InputError(`${where}: object without kind`);
  if (!obj.metadata || typeof obj.metadata.name !== 'string') {
    throw new InputError(`${where}: ${obj.kind} without metadata.name`);
  }
  return obj;
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
