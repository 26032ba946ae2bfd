// The other side of every check: a healthy StatefulSet going through scale-up, a rolling update and
// an online volume expansion (done as seed 002 describes: orphan re-create with the bigger template,
// then the claims, highest ordinal first) raises nothing above info at any sampled moment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diagnose, keys } from '../doctor.ts';
import { namespace, statefulSet, storageClass } from '../objects.ts';
import { TestCluster } from '../test-cluster.ts';

const NS = 'healthy';
let cluster: TestCluster;
const samples: string[] = [];

async function sample(moment: string): Promise<void> {
  const d = await diagnose(cluster, { namespace: NS });
  const serious = [...keys(d.live), ...keys(d.offline)].filter((k) => !k.includes(' info '));
  samples.push(moment);
  assert.deepEqual(serious, [], `at "${moment}" doctor raised ${serious.join('; ')}`);
}

describe('a healthy StatefulSet through its life', { timeout: 300_000 }, () => {
  before(async () => {
    cluster = await TestCluster.start([{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }]);
    await cluster.create(namespace(NS));
    await cluster.create(storageClass('ssd'));
  });
  after(() => cluster?.stop());

  const sts = () => cluster.read('apps/v1', 'StatefulSet', NS, 'web');
  const settled = async (replicas: number) => {
    const s = await sts();
    return s?.status?.readyReplicas === replicas && s.status.updatedReplicas === replicas && s.status.currentRevision === s.status.updateRevision;
  };
  const claimsAt = async (size: string) => (await cluster.list('v1', 'PersistentVolumeClaim', NS)).every((c) => c.status?.capacity?.storage === size);

  it('scales up, rolls, and grows its volumes without a finding above info', async () => {
    const manifest = statefulSet(NS, 'web', { replicas: 1, cls: 'ssd', podAnnotations: { version: '1' } });
    await cluster.create(manifest);
    await sample('first replica starting (claim Pending under WaitForFirstConsumer)');
    await cluster.waitFor('web-0 Ready', () => settled(1));

    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: NS }, spec: { replicas: 3 } } as never);
    await sample('scaling up');
    await cluster.waitFor('three replicas Ready', () => settled(3), 120_000);
    await sample('scaled up');

    await cluster.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: NS }, spec: { template: { metadata: { annotations: { version: '2' } } } } } as never);
    await cluster.waitFor('the rolling update under way', async () => (await sts())?.status?.updatedReplicas >= 1);
    await sample('rolling update under way');
    await cluster.waitFor('the rolling update done', () => settled(3), 120_000);
    await sample('rolled');

    // Online expansion to 2Gi: re-create the StatefulSet with the new template, pods untouched.
    await cluster.api.delete({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: NS } }, undefined, undefined, undefined, undefined, 'Orphan');
    await cluster.waitFor('the StatefulSet gone', async () => (await sts()) === undefined);
    await sample('StatefulSet deleted with --cascade=orphan, pods running');
    const grown = statefulSet(NS, 'web', { replicas: 3, cls: 'ssd', size: '2Gi', podAnnotations: { version: '2' } });
    await cluster.create(grown);
    for (const ordinal of [2, 1, 0]) {
      await cluster.patch({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `data-web-${ordinal}`, namespace: NS }, spec: { resources: { requests: { storage: '2Gi' } } } } as never);
    }
    await sample('claims expanding');
    await cluster.waitFor('every claim at 2Gi', () => claimsAt('2Gi'), 120_000);
    await cluster.waitFor('the adopted pods Ready', () => settled(3), 120_000);
    await sample('expanded');
    const pods = await cluster.list('v1', 'Pod', NS);
    assert.ok(pods.every((p) => p.metadata?.annotations?.version === '2' && !p.metadata?.deletionTimestamp), 'no pod was restarted by the re-create');
    assert.equal(samples.length, 8);
  });
});
