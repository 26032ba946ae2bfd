// stsvol snapshot: what doctor reads from a live cluster, in one file `--from` reads back, stamped
// with the moment it was taken so its offline analysis keeps that clock.

import { renameSync, writeFileSync } from 'node:fs';
import { CAPTURED_AT_ANNOTATION } from '../model/annotations.ts';
import { InputError } from '../model/errors.ts';
import { KINDS } from '../model/kinds.ts';
import { toRfc3339 } from '../model/time.ts';
import type { KubeObject } from '../model/types.ts';
import { EXIT } from './exit-codes.ts';
import { serialize } from './format.ts';
import type { IO } from './io.ts';
import { checkNamespaceFlags, readLive, type ClusterFlags, type TransportFactory } from './load.ts';

export interface SnapshotFlags extends ClusterFlags {
  output: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Drops what no check reads and what may carry secrets: managedFields, last-applied copies and
 *  literal environment values of containers (people do put passwords there). */
export function scrub(obj: KubeObject): KubeObject {
  const meta = obj.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  delete meta.managedFields;
  if (meta.annotations?.[LAST_APPLIED]) delete meta.annotations[LAST_APPLIED];
  if (obj.kind === 'Pod') {
    const spec = (obj as { spec?: { containers?: { env?: { value?: string }[] }[]; initContainers?: { env?: { value?: string }[] }[] } }).spec;
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      for (const e of c.env ?? []) if (e.value !== undefined) e.value = '<redacted by stsvol snapshot>';
    }
  }
  return obj;
}

export async function writeSnapshot(flags: SnapshotFlags, io: IO, transports: TransportFactory): Promise<number> {
  checkNamespaceFlags(flags);
  const format = /\.ya?ml$/i.test(flags.output) ? 'yaml' : 'json';
  const live = await readLive(flags, io, transports);
  const items = KINDS.flatMap((k) => live.objects.get(k.kind) ?? []).map(scrub);
  const document = {
    apiVersion: 'v1',
    kind: 'List',
    metadata: { annotations: { [CAPTURED_AT_ANNOTATION]: toRfc3339(io.now()) } },
    items,
  };
  const temporary = `${flags.output}.partial`;
  try {
    writeFileSync(temporary, serialize(document, format));
    renameSync(temporary, flags.output); // a reader never sees half a snapshot
  } catch (err) {
    throw new InputError(`-o ${flags.output}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const notices = live.snapshot.notices.map((n) => `\n  skipped ${n.kind}: ${n.message}`).join('');
  io.stderr.write(`wrote ${items.length} objects (${live.requests} requests) to ${flags.output}${notices}\n`);
  return EXIT.OK;
}
