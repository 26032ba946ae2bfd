// Quarantine cannot steal a claim: the claimRef patch carries the version of the volume that was
// judged open. If the binder gave the volume to a claim between that judgement and the write, the
// API refuses the patch; judged again, the volume is no longer open and the step stops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApi } from '../../../src/model/kube-api.ts';
import { execute, type StepEvent } from '../../../src/executor/execute.ts';
import { Journal } from '../../../src/executor/journal.ts';
import type { TransportResponse, WritableTransport } from '../../../src/model/live.ts';
import { planScale } from '../../../src/plans/scale.ts';
import { BUILT_IN_PRICES } from '../../../src/model/pricing.ts';
import { modelOf, volume } from '../../fixtures/build.ts';
import { running } from '../plans/replicas.ts';

/** A volume that is Available when judged, and bound by the binder right after: every later
 *  read sees it Bound, and a write carrying the first version is a conflict, as the API answers. */
class BinderWins implements WritableTransport {
  readonly writes: { method: string; path: string; body: unknown }[] = [];
  private reads = 0;
  private readonly uid: string;
  constructor(uid: string) {
    this.uid = uid;
  }
  async get(path: string): Promise<TransportResponse> {
    return this.request('GET', path);
  }
  async request(method: string, path: string, body?: { json: unknown }): Promise<TransportResponse> {
    // The journal: what is written is what is stored.
    if (path.includes('/configmaps')) return { status: 200, body: JSON.stringify({ ...(body?.json as object), metadata: { ...(body?.json as { metadata: object }).metadata, resourceVersion: '1', uid: 'j' } }) };
    if (method === 'GET') {
      const open = this.reads++ < 2; // the step's own until, then its requirement
      const pv = { kind: 'PersistentVolume', metadata: { name: 'pv-old', uid: this.uid, resourceVersion: open ? '10' : '11' }, spec: open ? {} : { claimRef: { namespace: 'db', name: 'data-kafka-2' } }, status: { phase: open ? 'Available' : 'Bound' } };
      return { status: 200, body: JSON.stringify(pv) };
    }
    this.writes.push({ method, path, body: body?.json });
    const version = (body?.json as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion;
    return version === '11' ? { status: 200, body: '{}' } : { status: 409, body: '{"kind":"Status","reason":"Conflict","message":"the object has been modified"}' };
  }
}

describe('quarantine', () => {
  it('never overwrites the claimRef of a volume the binder bound after it was judged open', async () => {
    const old = volume('pv-old', { cls: 'fast', phase: 'Available' });
    const objects = [...running('db', 'kafka', { replicas: 2 }), old];
    const { plan } = planScale(modelOf(objects), { namespace: 'db', statefulSet: 'kafka', replicas: 3, quarantine: true }, BUILT_IN_PRICES, '20260310');
    const quarantine = { ...plan, steps: plan.steps.filter((s) => s.id === 'quarantine:pv-old') };
    const transport = new BinderWins(old.metadata.uid!);
    const api = new KubeApi(transport, { sleep: async () => undefined });
    const journal = await Journal.create(api, quarantine, new Date(0));
    const events: StepEvent[] = [];
    // A clock that moves with every sleep: a regression that waits instead of stopping ends at waitMs, not never.
    let clock = 0;
    const result = await execute(quarantine, { api, journal, onEvent: (e) => events.push(e), waitMs: 1000, pollMs: 1, now: () => clock, sleep: async (ms) => { clock += ms; } });
    assert.equal(result.status, 'stopped');
    assert.match((result as { reason: string }).reason, /volume pv-old is Available and reserved for no claim .*: no \(volume pv-old is Bound, reserved for db\/data-kafka-2/);
    const patches = transport.writes.filter((w) => w.method === 'PATCH');
    assert.equal(patches.length, 1, 'one attempt, refused');
    assert.equal((patches[0]!.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion, '10', 'written with the version judged open, not the one read after');
  });
});
