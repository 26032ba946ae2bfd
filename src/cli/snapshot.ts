// stsvol snapshot: what doctor reads from a live cluster, in one file `--from` reads back, stamped
// with the moment it was taken and the kinds it could not read, so its offline analysis gives what
// live analysis gave, notices included.
//
// It holds only what admission kept (model/schema.ts is the allowlist): no Secret or ConfigMap, no
// container command, args or env, no annotation or StorageClass parameter stsvol does not know.
// Event messages stay: they are the evidence. Written as a stream, one object at a time; to a file
// atomically (a temporary file renamed into place, removed on failure), never over a directory or
// a device; without `-f` (or with `-f -`) to standard output. `-o` is the format, as everywhere;
// the old `-o FILE` still works, with a note.

import { CAPTURED_AT_ANNOTATION, NOTICES_ANNOTATION } from '../model/annotations.ts';
import { InputError } from '../model/errors.ts';
import { KINDS } from '../model/kinds.ts';
import { recordNotices } from '../model/recorded-notices.ts';
import { eventToWire, FIELD_OF_KIND, KIND_NOTICES, type Snapshot } from '../model/snapshot.ts';
import { jsonText, yamlText } from '../model/safe-text.ts';
import { toRfc3339 } from '../model/time.ts';
import type { KubeObject } from '../model/types.ts';
import { EXIT } from './exit-codes.ts';
import type { IO } from './io.ts';
import { checkClusterFlags, readLive, type ClusterFlags, type TransportFactory } from './load.ts';
import { checkTarget, OutputError, writeFileAtomically } from './output-file.ts';
import { recordUsage, usageFromKubelets, usageFromPrometheus } from './observed-usage.ts';
import { ClusterModel } from '../model/cluster-model.ts';

export interface SnapshotFlags extends ClusterFlags {
  /** Where to write: a file, or - (the default) for standard output. */
  file?: string;
  /** json or yaml; a file name here is the old form of --file. */
  output?: string;
  /** The old name of -o. */
  format?: 'json' | 'yaml';
  /** Record each claim's volume usage (stsvol.io/observed-usage), for an offline audit. */
  withUsage?: boolean;
  prometheus?: string;
  usageWindow?: string;
}

const FORMATS = ['json', 'yaml'] as const;

/** The target and format the flags ask for, the deprecated forms included. */
export function snapshotTarget(flags: SnapshotFlags, io: IO): { file: string; format: 'json' | 'yaml' } {
  let file = flags.file;
  let format = flags.format;
  if (flags.output !== undefined && (FORMATS as readonly string[]).includes(flags.output)) format = flags.output as 'json' | 'yaml';
  else if (flags.output !== undefined) {
    if (file !== undefined) throw new InputError(`-o ${flags.output}: -o is the format (json or yaml); the file is given with -f`);
    io.stderr.write(`stsvol: warning: -o FILE is deprecated: -o is the format (json or yaml); write to a file with -f ${flags.output}\n`);
    file = flags.output;
  }
  file ??= '-';
  return { file, format: format ?? (/\.ya?ml$/i.test(file) ? 'yaml' : 'json') };
}


function* objectsOf(snapshot: Snapshot): Generator<object> {
  for (const info of KINDS) {
    if (info.kind === 'Event') yield* snapshot.events.map(eventToWire);
    else yield* snapshot[FIELD_OF_KIND[info.kind]] as KubeObject[];
  }
}

function header(snapshot: Snapshot, capturedAt: number) {
  const annotations: Record<string, string> = { [CAPTURED_AT_ANNOTATION]: toRfc3339(capturedAt) };
  const notices = recordNotices(snapshot.notices);
  if (notices) annotations[NOTICES_ANNOTATION] = notices;
  return { apiVersion: 'v1', kind: 'List', metadata: { annotations } };
}

/** JSON: one `kind: List` with an object per line. YAML: the list's header as the first document
 *  (with no items), then one document per object, so it too is read back one document at a time. */
function* chunks(snapshot: Snapshot, capturedAt: number, format: 'json' | 'yaml'): Generator<string> {
  const head = header(snapshot, capturedAt);
  if (format === 'yaml') {
    yield yamlText({ ...head, items: [] });
    for (const obj of objectsOf(snapshot)) yield `---\n${yamlText(obj)}`;
    return;
  }
  yield `${jsonText(head).slice(0, -1)},"items":[\n`;
  let first = true;
  for (const obj of objectsOf(snapshot)) {
    yield `${first ? '' : ',\n'}${jsonText(obj)}`;
    first = false;
  }
  yield '\n]}\n';
}

/** At the reader's pace; success is said only once everything reached the system. */
async function writeStdout(io: IO, parts: Iterable<string>): Promise<void> {
  for (const part of parts) {
    io.stdout.write(part);
    await io.stdout.drained?.();
  }
  const failure = await io.settled?.();
  if (failure) throw new OutputError(`cannot write to standard output: ${failure.code}${failure.code === 'ENOSPC' ? ' (no space left on the device)' : ''}`);
}

export async function writeSnapshot(flags: SnapshotFlags, io: IO, transports: TransportFactory): Promise<number> {
  checkClusterFlags(flags);
  const target = snapshotTarget(flags, io);
  checkTarget(target.file);
  if (flags.usageWindow !== undefined && !/^\d{1,4}[smhdw]$/.test(flags.usageWindow)) throw new InputError(`--usage-window ${flags.usageWindow}: expected a Prometheus duration such as 7d or 24h`);
  const live = await readLive(flags, io, transports);
  const usage = flags.withUsage ? await readUsage(flags, live.snapshot, io.now(), transports) : undefined;
  const parts = chunks(live.snapshot, io.now(), target.format);
  if (target.file === '-') await writeStdout(io, parts);
  else await writeFileAtomically(target.file, parts);
  const objects = KINDS.reduce((n, info) => n + (info.kind === 'Event' ? live.snapshot.events.length : live.snapshot[FIELD_OF_KIND[info.kind]].length), 0);
  const invalid = live.snapshot.notices.filter((n) => n.reason === 'invalid').length;
  const notices = live.snapshot.notices.filter((n) => KIND_NOTICES.has(n.reason)).map((n) => `\n  skipped ${n.kind}: ${n.message}`).join('')
    + (invalid ? `\n  skipped ${invalid} invalid object(s); the snapshot records them (stsvol doctor --from names them)` : '');
  const usageText = usage ? `\n  volume usage of ${usage.recorded} claims recorded${usage.problems.length ? `; not read: ${usage.problems.slice(0, 3).join('; ')}` : ''}` : '';
  io.stderr.write(`wrote ${objects} objects (${live.requests} requests) to ${target.file === '-' ? 'standard output' : target.file}${notices}${usageText}\n`);
  return EXIT.OK;
}

/** --with-usage: from Prometheus (the maximum over --usage-window) or the kubelets, onto the claims. */
async function readUsage(flags: SnapshotFlags, snapshot: Snapshot, now: number, transports: TransportFactory): Promise<{ recorded: number; problems: string[] }> {
  const read = flags.prometheus
    ? await usageFromPrometheus(flags.prometheus, flags.usageWindow ?? '7d', now)
    : await usageFromKubelets(new ClusterModel(snapshot, now), await transports(flags), now);
  return { recorded: recordUsage(snapshot, read.usage), problems: read.problems };
}
