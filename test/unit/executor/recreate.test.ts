// Creating a StatefulSet again from the journal: admitted first by a dry run (a quota on the count
// of StatefulSets aside, which the original fills until its orphan delete), stamped with the
// journal's uid, and known again by that stamp after a crash between the create and the journal
// write. The API is replayed: objects are stored as written; the answers are the API server's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { perform, recreateRefusal } from '../../../src/executor/actions.ts';
import { Journal, RECREATED, SAVED_STATEFULSET } from '../../../src/executor/journal.ts';
import { KubeApi, type KubeObject } from '../../../src/model/kube-api.ts';
import type { TransportResponse, WritableTransport } from '../../../src/model/live.ts';
import type { Plan } from '../../../src/plans/plan.ts';

const STS = '/apis/apps/v1/namespaces/db/statefulsets';
const saved: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'db', uid: 'old', resourceVersion: '5' }, spec: { replicas: 2, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '10Gi' } } } }] } };
const plan: Plan = { operation: 'resize', subject: { kind: 'StatefulSet', namespace: 'db', name: 'web' }, namespace: 'db', request: {}, summary: [], warnings: [], afterwards: [], steps: [] };

/** Stores what is created; a create of a name taken is a 409; `refuse` answers every StatefulSet create. */
class Store implements WritableTransport {
  readonly objects = new Map<string, Record<string, any>>();
  refuse?: TransportResponse;
  private uids = 0;
  async get(path: string): Promise<TransportResponse> {
    return this.request('GET', path);
  }
  async request(method: string, path: string, body?: { json: unknown }): Promise<TransportResponse> {
    const at = path.split('?')[0]!;
    if (method === 'GET') {
      const found = this.objects.get(at);
      return found ? { status: 200, body: JSON.stringify(found) } : { status: 404, body: '{"kind":"Status","reason":"NotFound"}' };
    }
    if (method === 'DELETE') return this.objects.delete(at) ? { status: 200, body: '{}' } : { status: 404, body: '{"kind":"Status","reason":"NotFound"}' };
    const json = structuredClone(body!.json) as Record<string, any>;
    if (method === 'POST' && at === STS && this.refuse) return this.refuse;
    if (method === 'POST' && path.includes('dryRun')) return { status: 201, body: JSON.stringify(json) };
    const name = json.metadata.name;
    const key = method === 'POST' ? `${at}/${name}` : at;
    if (method === 'POST' && this.objects.has(key)) return { status: 409, body: '{"kind":"Status","reason":"AlreadyExists"}' };
    const uid = method === 'POST' ? `uid-${++this.uids}` : this.objects.get(key)?.metadata.uid;
    const stored = { ...json, metadata: { ...json.metadata, uid, resourceVersion: String(++this.uids), generation: 1 } };
    this.objects.set(key, stored);
    return { status: 201, body: JSON.stringify(stored) };
  }
}

const forbidden = (message: string): TransportResponse => ({ status: 403, body: JSON.stringify({ kind: 'Status', reason: 'Forbidden', code: 403, message }) });

describe('re-creating a StatefulSet', () => {
  it('ignores a quota on the count of StatefulSets, which the original fills until it is deleted', async () => {
    const store = new Store();
    store.refuse = forbidden('statefulsets.apps "web-x7k2p" is forbidden: exceeded quota: objects, requested: count/statefulsets.apps=1, used: count/statefulsets.apps=1, limited: count/statefulsets.apps=1');
    assert.equal(await recreateRefusal(new KubeApi(store), saved, []), undefined);
  });

  it('reports any other refusal: another quota, a policy', async () => {
    const store = new Store();
    store.refuse = forbidden('statefulsets.apps "web-x7k2p" is forbidden: exceeded quota: mixed, requested: count/statefulsets.apps=1,requests.storage=1, used: count/statefulsets.apps=0,requests.storage=100Gi, limited: count/statefulsets.apps=5,requests.storage=100Gi');
    assert.match((await recreateRefusal(new KubeApi(store), saved, []))!, /would not create statefulset web again: .*exceeded quota: mixed/);
    store.refuse = forbidden('admission webhook "validate.kyverno.svc" denied the request: image tag latest is not allowed');
    assert.match((await recreateRefusal(new KubeApi(store), saved, []))!, /denied the request: image tag latest/);
  });

  it('stamps the new object with the journal uid, and after a crash knows the one it made by that stamp', async () => {
    const store = new Store();
    const api = new KubeApi(store);
    const journal = await Journal.create(api, plan, new Date(0));
    await journal.save(SAVED_STATEFULSET, saved, new Date(0));
    assert.equal(await perform({ verb: 'recreate', target: { kind: 'StatefulSet', namespace: 'db', name: 'web' }, sizes: [{ template: 'data', storage: '20Gi' }] }, api, journal, new Date(0)), 'done');
    const made = store.objects.get(`${STS}/web`)!;
    assert.equal(made.metadata.annotations['stsvol.io/recreated-by-journal'], journal.uid);
    assert.equal(made.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '20Gi');
    assert.equal(made.metadata.uid === 'old', false, 'a new object, not the saved uid');

    // A second run of the step (its journal write lost in a crash): the object is ours, not someone else's.
    const again = await perform({ verb: 'recreate', target: { kind: 'StatefulSet', namespace: 'db', name: 'web' }, sizes: [] }, api, journal, new Date(0));
    assert.equal(again, 'done');
    assert.deepEqual(journal.saved(RECREATED), { uid: made.metadata.uid, generation: 1 });

    // One made by someone else under the name is not taken for ours.
    store.objects.set(`${STS}/web`, { ...made, metadata: { ...made.metadata, uid: 'theirs', annotations: {} } });
    assert.equal(await perform({ verb: 'recreate', target: { kind: 'StatefulSet', namespace: 'db', name: 'web' }, sizes: [] }, api, journal, new Date(0)), 'changed');
  });

  it('saves the StatefulSet and its pods as they are right before the orphan delete, and never deletes one a controller took over', async () => {
    const store = new Store();
    const api = new KubeApi(store);
    const journal = await Journal.create(api, plan, new Date(0));
    await journal.save(SAVED_STATEFULSET, saved, new Date(0));
    const now = { ...saved, metadata: { ...saved.metadata, labels: { team: 'search' }, resourceVersion: '9' }, spec: { ...saved.spec as object, selector: { matchLabels: { app: 'web' } } } };
    store.objects.set(`${STS}/web`, now);
    store.objects.set('/api/v1/namespaces/db/pods', { kind: 'List', metadata: {}, items: [{ metadata: { name: 'web-0', uid: 'p0' } }, { metadata: { name: 'web-1', uid: 'p1' } }, { metadata: { name: 'webhook', uid: 'x' } }] });
    const orphan = { verb: 'delete' as const, target: { kind: 'StatefulSet' as const, namespace: 'db', name: 'web' }, orphan: true };

    const owned = { ...now, metadata: { ...now.metadata, ownerReferences: [{ kind: 'ElasticsearchCluster', name: 'logs', controller: true }] } };
    store.objects.set(`${STS}/web`, owned);
    await assert.rejects(perform(orphan, api, journal, new Date(0)), /controlled by ElasticsearchCluster logs now: it is not deleted/);
    assert.ok(store.objects.has(`${STS}/web`));

    store.objects.set(`${STS}/web`, now);
    assert.equal(await perform(orphan, api, journal, new Date(0)), 'done');
    assert.equal(store.objects.has(`${STS}/web`), false);
    assert.deepEqual(journal.saved(SAVED_STATEFULSET)?.metadata.labels, { team: 'search' }, 'the labels it had right before, not at the save step');
    assert.deepEqual(journal.saved('members'), { pods: [{ name: 'web-0', uid: 'p0' }, { name: 'web-1', uid: 'p1' }] });
  });
});
