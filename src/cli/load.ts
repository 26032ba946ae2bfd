// Builds the model from the flags: offline from --from, else live from kubeconfig.

import { analysisClock, believableUntil, parseNow, type Clock } from '../model/clock.ts';
import { ClusterModel } from '../model/cluster-model.ts';
import { InputError } from '../model/errors.ts';
import { parseRequestTimeout } from '../model/request-timeout.ts';
import { KubeApi, READ_RETRY } from '../model/kube-api.ts';
import { namespaceName } from '../model/names.ts';
import { loadLive, type LiveLoad, type Transport } from '../model/live.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../model/request-timeout.ts';
import { KIND_NOTICES, type Snapshot } from '../model/snapshot.ts';
import { loadOffline } from '../model/offline.ts';
import type { IO } from './io.ts';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  requestTimeout?: string;
}

export interface LoadFlags extends ClusterFlags {
  from?: string[];
  now?: string;
}

export interface LoadedModel {
  model: ClusterModel;
  source: 'live' | 'offline';
  clock: Clock;
}

/** Tests hand in a recorded transport; the CLI builds one from kubeconfig. */
export type TransportFactory = (flags: ClusterFlags) => Transport | Promise<Transport>;

// @kubernetes/client-node takes most of a second to load; offline analysis never needs it.
export const kubeTransportFactory: TransportFactory = async (flags) => {
  const { createKubeTransport } = await import('../model/kube-transport.ts');
  return createKubeTransport({ kubeconfig: flags.kubeconfig, context: flags.context, timeoutMs: requestTimeoutOf(flags) });
};

export function requestTimeoutOf(flags: ClusterFlags): number | undefined {
  return flags.requestTimeout === undefined ? undefined : parseRequestTimeout(flags.requestTimeout);
}

/** Flag checks that need no cluster and no file, so bad input fails before anything is read. */
export function checkClusterFlags(flags: ClusterFlags): void {
  if (flags.namespace !== undefined && flags.allNamespaces) throw new InputError('-n/--namespace and -A/--all-namespaces cannot be used together');
  if (flags.namespace !== undefined) namespaceName(flags.namespace);
  requestTimeoutOf(flags);
}

export async function readLive(flags: ClusterFlags, io: IO, transports: TransportFactory): Promise<LiveLoad> {
  const transport = await transports(flags);
  const progress = io.stderr.isTTY ? (kind: string, n: number) => io.stderr.write(`\rread ${n} ${kind} objects`.padEnd(60)) : undefined;
  const live = await loadLive(new KubeApi(transport, { retry: READ_RETRY, timeoutMs: requestTimeoutOf(flags) ?? DEFAULT_REQUEST_TIMEOUT_MS }), { namespace: flags.namespace, onProgress: progress });
  if (progress) io.stderr.write('\r'.padEnd(61) + '\r');
  checkNamespace(live.snapshot, flags.namespace);
  return live;
}

/** -n names a namespace: one that does not exist is a wrong flag value (a typo must not read as a
 *  clean run); one that holds nothing stsvol reads is said so. */
export function checkNamespace(snapshot: Snapshot, namespace: string | undefined): void {
  if (namespace === undefined) return;
  const knowsNamespaces = !snapshot.notices.some((n) => n.kind === 'Namespace' && KIND_NOTICES.has(n.reason));
  const exists = snapshot.namespaces.some((n) => n.metadata.name === namespace);
  if (knowsNamespaces && snapshot.namespaces.length && !exists) throw new InputError(`-n ${namespace}: no such namespace`);
  const held = [snapshot.pods, snapshot.claims, snapshot.statefulSets].some((list) => list.some((o) => o.metadata.namespace === namespace));
  if (held) return;
  snapshot.notices.push({
    kind: 'Namespace', reason: 'empty-namespace', object: { kind: 'Namespace', name: namespace },
    message: `namespace ${namespace} holds no pod, claim or StatefulSet: nothing in it to judge (${exists ? 'it exists' : knowsNamespaces ? 'no Namespace objects were read' : 'whether it exists could not be read'})`,
  });
}

export async function loadModel(flags: LoadFlags, io: IO, transports: TransportFactory): Promise<LoadedModel> {
  checkClusterFlags(flags);
  if (flags.now !== undefined) parseNow(flags.now);
  if (flags.from?.length) {
    const wallClock = io.now();
    const { snapshot } = await loadOffline(flags.from, { notAfter: believableUntil(wallClock), clockKnown: flags.now !== undefined });
    checkNamespace(snapshot, flags.namespace);
    const clock = analysisClock(snapshot, { now: flags.now, live: false, wallClock });
    return { model: new ClusterModel(snapshot, clock.now), source: 'offline', clock };
  }
  const { snapshot } = await readLive(flags, io, transports);
  const clock = analysisClock(snapshot, { now: flags.now, live: true, wallClock: io.now() });
  return { model: new ClusterModel(snapshot, clock.now), source: 'live', clock };
}
