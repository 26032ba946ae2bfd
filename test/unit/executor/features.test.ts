// What the API server serves, asked of it: the OpenAPI document names a field; a dry run says
// whether it is enabled. Each answer replays one the API server gives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inPlaceRefusal, statefulSetSpecFields } from '../../../src/executor/features.ts';
import { KubeApi } from '../../../src/model/kube-api.ts';
import type { TransportResponse, WritableTransport } from '../../../src/model/live.ts';
import { planResize } from '../../../src/plans/resize.ts';
import { modelOf } from '../../fixtures/build.ts';
import { running } from '../plans/replicas.ts';

/** Answers a dry-run PATCH as the API server does with the field declared and its gate off, or on. */
class StatefulSetPatches implements WritableTransport {
  readonly sent: string[] = [];
  private readonly enabled: boolean;
  constructor(enabled: boolean) {
    this.enabled = enabled;
  }
  async get(path: string): Promise<TransportResponse> {
    return this.request('GET', path);
  }
  async request(method: string, path: string): Promise<TransportResponse> {
    this.sent.push(`${method} ${path}`);
    if (this.enabled) return { status: 200, body: '{"metadata":{"name":"web"}}' };
    return { status: 422, body: JSON.stringify({ kind: 'Status', reason: 'Invalid', code: 422, message: 'StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than \'replicas\', \'ordinals\', \'template\', \'updateStrategy\', \'persistentVolumeClaimRetentionPolicy\' and \'minReadySeconds\' are forbidden' }) };
  }
}

describe('in-place claim templates (KEP-4650)', () => {
  const inPlace = planResize(modelOf(running('db', 'web', { replicas: 1 })), { namespace: 'db', statefulSet: 'web', to: '20Gi' }, { inPlaceClaimTemplates: true }).plan;

  it('reads either name of the field from the OpenAPI document', () => {
    const doc = (field: string) => JSON.stringify({ components: { schemas: { 'io.k8s.api.apps.v1.StatefulSetSpec': { properties: { replicas: {}, [field]: {} } } } } });
    assert.ok(statefulSetSpecFields(doc('volumeClaimUpdatePolicy')).includes('volumeClaimUpdatePolicy'));
    assert.deepEqual(statefulSetSpecFields('not json'), []);
  });

  it('trusts a declared field only once a dry run of the template patch is admitted', async () => {
    const off = new StatefulSetPatches(false);
    assert.match((await inPlaceRefusal(new KubeApi(off), inPlace))!, /updates to statefulset spec for fields other than/);
    assert.deepEqual(off.sent, ['PATCH /apis/apps/v1/namespaces/db/statefulsets/web?dryRun=All'], 'a dry run: nothing changed');
    assert.equal(await inPlaceRefusal(new KubeApi(new StatefulSetPatches(true)), inPlace), undefined);
  });
});
