// Conditions judged against live objects: each answer replays one object as the API would return
// it; nothing is evaluated by the transport.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApi } from '../../../src/model/kube-api.ts';
import { judge } from '../../../src/executor/expectations.ts';
import type { TransportResponse, WritableTransport } from '../../../src/model/live.ts';
import { node } from '../../fixtures/build.ts';

/** Answers every GET with the object found at its path, 404 otherwise. */
export class Objects implements WritableTransport {
  readonly sent: { method: string; path: string; body?: unknown }[] = [];
  private readonly byPath: Map<string, unknown>;
  constructor(byPath: Record<string, unknown>) {
    this.byPath = new Map(Object.entries(byPath));
  }
  async get(path: string): Promise<TransportResponse> {
    return this.request('GET', path);
  }
  async request(method: string, path: string, body?: { json: unknown }): Promise<TransportResponse> {
    this.sent.push({ method, path, body: body?.json });
    const found = this.byPath.get(path.split('?')[0]!);
    if (method === 'GET') return found === undefined ? { status: 404, body: '{"kind":"Status","reason":"NotFound"}' } : { status: 200, body: JSON.stringify(found) };
    return { status: 200, body: '{}' };
  }
}

const TAINT = { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' };
const fenced = (n: unknown) => judge({ type: 'node-fenced', node: 'n1' }, new KubeApi(new Objects(n === undefined ? {} : { '/api/v1/nodes/n1': n })), 0);

describe('node-fenced, judged live', () => {
  it('holds for a node that is gone, or tainted and not Ready', async () => {
    assert.equal((await fenced(undefined)).holds, true);
    assert.equal((await fenced(node('n1', { ready: 'Unknown', taints: [TAINT] }))).holds, true);
  });

  it('fails at once for a node that came back Ready under the taint', async () => {
    const verdict = await fenced(node('n1', { taints: [TAINT] }));
    assert.equal(verdict.holds, false);
    assert.equal(verdict.failed, true, 'waiting does not make it fenced');
    assert.match(verdict.detail!, /tainted out-of-service but reports Ready/);
  });

  it('fails for a NotReady node without the taint', async () => {
    assert.equal((await fenced(node('n1', { ready: 'Unknown' }))).holds, false);
  });
});

describe('statefulset-excludes-ordinal, judged live', () => {
  const judgeOn = (spec: unknown) => judge({ type: 'statefulset-excludes-ordinal', sts: { kind: 'StatefulSet', namespace: 'db', name: 'web' }, ordinal: 6 },
    new KubeApi(new Objects({ '/apis/apps/v1/namespaces/db/statefulsets/web': { metadata: { name: 'web' }, spec } })), 0);

  it('reads the live [ordinals.start, start + replicas), not the replicas alone', async () => {
    assert.equal((await judgeOn({ replicas: 3 })).holds, true, 'runs 0, 1, 2');
    const moved = await judgeOn({ replicas: 3, ordinals: { start: 5 } });
    assert.equal(moved.holds, false, 'runs 5, 6, 7: ordinal 6 among them');
    assert.equal(moved.failed, true);
    assert.match(moved.detail!, /runs ordinals 5 to 7, 6 among them/);
    assert.equal((await judgeOn({ replicas: 1, ordinals: { start: 7 } })).holds, true, 'below the first ordinal is not run');
  });
});

describe('volume-open, judged on the version written', () => {
  const volume = (pv: unknown) => new KubeApi(new Objects({ '/api/v1/persistentvolumes/pv-1': pv }));
  const open = { kind: 'PersistentVolume', metadata: { name: 'pv-1', uid: 'u1', resourceVersion: '41' }, spec: {}, status: { phase: 'Available' } };

  it('holds for an Available volume reserved for no claim, and gives the version it was judged on', async () => {
    assert.deepEqual(await judge({ type: 'volume-open', volume: { kind: 'PersistentVolume', name: 'pv-1', uid: 'u1' } }, volume(open), 0), { holds: true, resourceVersion: '41' });
  });

  it('fails for a volume the binder gave a claim meanwhile, and for another object of the name', async () => {
    const bound = { ...open, spec: { claimRef: { namespace: 'db', name: 'data-kafka-1' } }, status: { phase: 'Bound' } };
    const verdict = await judge({ type: 'volume-open', volume: { kind: 'PersistentVolume', name: 'pv-1' } }, volume(bound), 0);
    assert.equal(verdict.failed, true);
    assert.match(verdict.detail!, /is Bound, reserved for db\/data-kafka-1: it is not open any more/);
    assert.equal((await judge({ type: 'volume-open', volume: { kind: 'PersistentVolume', name: 'pv-1', uid: 'other' } }, volume(open), 0)).holds, false);
  });
});

describe('snapshot-ready, judged live', () => {
  const claim = { kind: 'PersistentVolumeClaim' as const, namespace: 'db', name: 'data-kafka-2', uid: 'uid-now' };
  const snapshot = { kind: 'VolumeSnapshot' as const, namespace: 'db', name: 'data-kafka-2-uid-now-20260310' };
  const judgeOn = (snap: unknown) => judge({ type: 'snapshot-ready', snapshot, claim },
    new KubeApi(new Objects(snap ? { '/apis/snapshot.storage.k8s.io/v1/namespaces/db/volumesnapshots/data-kafka-2-uid-now-20260310': snap } : {})), 0);
  const snap = (uid: string, ready: boolean) => ({ metadata: { name: snapshot.name, labels: { 'stsvol.io/claim-uid': uid } }, spec: { source: { persistentVolumeClaimName: 'data-kafka-2' } }, status: { readyToUse: ready } });

  it('holds for a ready snapshot of this claim, waits while it is not ready or missing', async () => {
    assert.equal((await judgeOn(snap('uid-now', true))).holds, true);
    const pending = await judgeOn(snap('uid-now', false));
    assert.equal(pending.holds, false);
    assert.notEqual(pending.failed, true);
    assert.equal((await judgeOn(undefined)).failed, undefined);
  });

  it('fails at once for a ready snapshot of an earlier claim of the same name', async () => {
    const verdict = await judgeOn(snap('uid-before', true));
    assert.equal(verdict.holds, false);
    assert.equal(verdict.failed, true, 'waiting does not make it a copy of this claim');
    assert.match(verdict.detail!, /not a snapshot of this claim data-kafka-2 \(it was taken of the claim with uid uid-before\)/);
  });
});

describe('statefulset-not-parked, judged live', () => {
  const sts = (replicas: number) => ({ metadata: { name: 'kafka' }, spec: { replicas } });
  const list = (items: unknown[]) => ({ kind: 'List', metadata: {}, items });
  const judgeOn = (byPath: Record<string, unknown>) => judge({ type: 'statefulset-not-parked', sts: { kind: 'StatefulSet', namespace: 'db', name: 'kafka' } }, new KubeApi(new Objects(byPath)), 0);
  const HPAS = '/apis/autoscaling/v2/namespaces/db/horizontalpodautoscalers';
  const STS = '/apis/apps/v1/namespaces/db/statefulsets/kafka';

  it('holds for a StatefulSet with replicas and no autoscaler (KEDA not installed)', async () => {
    assert.equal((await judgeOn({ [STS]: sts(2), [HPAS]: list([]) })).holds, true);
  });

  it('fails for one scaled to 0 or targeted by an autoscaler since the plan', async () => {
    const zero = await judgeOn({ [STS]: sts(0), [HPAS]: list([]) });
    assert.equal(zero.failed, true);
    assert.match(zero.detail!, /scaled to 0 now/);
    const scaled = await judgeOn({ [STS]: sts(2), [HPAS]: list([{ metadata: { name: 'kafka-hpa' }, spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'kafka' } } }]) });
    assert.equal(scaled.failed, true);
    assert.match(scaled.detail!, /HorizontalPodAutoscaler kafka-hpa scales statefulset kafka now/);
  });
});

describe('disruption-allowed, judged live', () => {
  const POD = '/api/v1/namespaces/db/pods/web-1';
  const PDBS = '/apis/policy/v1/namespaces/db/poddisruptionbudgets';
  const budget = (name: string, selector: unknown, allowed: number) => ({ metadata: { name }, spec: { selector, maxUnavailable: 1 }, status: { disruptionsAllowed: allowed, currentHealthy: 2, desiredHealthy: 2 } });
  const judgeOn = (budgets: unknown[]) => judge({ type: 'disruption-allowed', pod: { kind: 'Pod', namespace: 'db', name: 'web-1' } },
    new KubeApi(new Objects({ [POD]: { metadata: { name: 'web-1', labels: { app: 'web', tier: 'db' } } }, [PDBS]: { kind: 'List', metadata: {}, items: budgets } })), 0);

  it('holds when every budget selecting the pod allows a disruption, or none selects it', async () => {
    assert.equal((await judgeOn([budget('web', { matchLabels: { app: 'web' } }, 1)])).holds, true);
    assert.equal((await judgeOn([budget('other', { matchLabels: { app: 'other' } }, 0)])).holds, true);
  });

  it('fails for a budget that allows none, by matchLabels, matchExpressions or an empty selector (every pod, policy/v1)', async () => {
    for (const selector of [{ matchLabels: { app: 'web' } }, { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, {}]) {
      const verdict = await judgeOn([budget('web-pdb', selector, 0)]);
      assert.equal(verdict.failed, true, JSON.stringify(selector));
      assert.match(verdict.detail!, /poddisruptionbudget web-pdb allows no disruption now \(2 healthy, 2 required\)/);
    }
  });
});

describe('statefulset-unchanged, judged live', () => {
  const guard = { type: 'statefulset-unchanged' as const, sts: { kind: 'StatefulSet' as const, namespace: 'db', name: 'web', uid: 'planned' }, generation: 3, replicas: 2 };
  const journal = (recreated?: object) => ({ uid: 'journal-1', acted: () => false, saved: <T>(key: string) => (key === 'recreated' ? recreated as T : undefined) });
  const judgeOn = (sts: object, j = journal()) => judge(guard, new KubeApi(new Objects({ '/apis/apps/v1/namespaces/db/statefulsets/web': sts })), 0, j);

  it('holds for the planned object and pins the version it read', async () => {
    const verdict = await judgeOn({ metadata: { name: 'web', uid: 'planned', generation: 3, resourceVersion: '77' }, spec: { replicas: 2 } });
    assert.deepEqual(verdict, { holds: true, resourceVersion: '77' });
  });

  it('knows the object this operation created again by its stamp when a crash lost the journal record of it', async () => {
    const stamped = { metadata: { name: 'web', uid: 'new', generation: 1, resourceVersion: '90', annotations: { 'stsvol.io/recreated-by-journal': 'journal-1' } }, spec: { replicas: 2 } };
    assert.equal((await judgeOn(stamped)).holds, true);
    const changed = await judgeOn({ ...stamped, metadata: { ...stamped.metadata, generation: 2 } });
    assert.equal(changed.failed, true, 'changed by someone since it was created');
    const foreign = await judgeOn({ ...stamped, metadata: { ...stamped.metadata, annotations: { 'stsvol.io/recreated-by-journal': 'another' } } });
    assert.match(foreign.detail!, /replaced by someone else/);
  });
});
