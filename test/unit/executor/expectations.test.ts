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
