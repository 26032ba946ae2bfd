import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/model/errors.ts';
import type { KubeObject, PersistentVolumeClaim, Pod, StatefulSet } from '../../../src/model/types.ts';
import { kubectlFor } from '../../../src/plans/describe.ts';
import { planResize } from '../../../src/plans/resize.ts';
import { modelOf, quota } from '../../fixtures/build.ts';
import { running } from './replicas.ts';

const ONLINE = { inPlaceClaimTemplates: false };
const plan = (objects: KubeObject[], to = '20Gi', features = ONLINE) => planResize(modelOf(objects), { namespace: 'db', statefulSet: 'web', to }, features);
const codes = (objects: KubeObject[], to?: string) => plan(objects, to).refusals.map((r) => r.code);
const find = <T extends KubeObject>(objects: KubeObject[], name: string) => objects.find((o) => o.metadata.name === name) as T;

describe('resize planner', () => {
  it('grows claims highest ordinal first, one replica at a time, then re-creates the StatefulSet from the journal', () => {
    const { plan: p, refusals } = plan(running('db', 'web'));
    assert.deepEqual(refusals, []);
    const perClaim = (c: string) => ['grow', 'expand', 'remount', 'offline-stop', 'offline-delete', 'offline-expand', 'offline-recreate', 'offline-ready', 'resized'].map((s) => `${s}:${c}`);
    assert.deepEqual(p.steps.map((s) => s.id), ['save', ...perClaim('data-web-2'), ...perClaim('data-web-1'), ...perClaim('data-web-0'), 'orphan', 'recreate', 'adopted']);
    const remount = p.steps.find((s) => s.id === 'remount:data-web-1')!;
    assert.equal(remount.action.verb, 'evict');
    assert.equal(remount.when?.type, 'claim-file-system-pending', 'a replica is restarted only when its file system waits for it');
    assert.ok(remount.requires.some((r) => r.type === 'others-ready' && r.except === 'web-1'), 'never two replicas down');
    const orphan = p.steps.find((s) => s.id === 'orphan')!;
    assert.equal(kubectlFor(orphan.action), 'kubectl delete statefulset web -n db --cascade=orphan');
    assert.deepEqual(orphan.requires.map((r) => r.type), ['statefulset-unchanged', 'statefulset-rollout-complete', 'statefulset-recreatable'],
      'unchanged (the planned uid, or the one this operation created), no rollout, and its copy admitted: all judged live right before');
    assert.ok(orphan.requires[0]!.type === 'statefulset-unchanged' && orphan.requires[0]!.sts.uid, 'the guard knows the uid it was planned for');
    const grow = p.steps.find((s) => s.id === 'grow:data-web-0')!;
    assert.equal(kubectlFor(grow.action), `kubectl patch pvc data-web-0 -n db --type=merge -p '{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}'`);
    assert.deepEqual(grow.until, { type: 'claim-requests', claim: grow.action.verb === 'patch' ? grow.action.target : undefined, atLeast: '20Gi' });
  });

  it('handles a driver that expands only offline: the StatefulSet is away while that one pod is stopped and its volume grows', () => {
    const objects = running('db', 'web', { replicas: 2 });
    const { plan: p } = plan(objects);
    const step = (id: string) => p.steps.find((s) => s.id === id)!;
    assert.deepEqual(step('expand:data-web-1').until, { type: 'claim-expanded', claim: step('grow:data-web-1').action.verb === 'patch' ? (step('grow:data-web-1').action as { target: object }).target : undefined, atLeast: '20Gi', orFileSystemPendingFor: 120, orInUse: true });
    assert.equal(step('offline-stop:data-web-1').when?.type, 'claim-expansion-in-use', 'only when the resizer said the volume is in use');
    assert.deepEqual(step('offline-stop:data-web-1').requires.map((r) => r.type), ['statefulset-unchanged', 'statefulset-rollout-complete', 'statefulset-recreatable', 'others-ready', 'disruption-allowed'],
      'the budget is judged while the StatefulSet still exists to compute it');
    for (const id of ['offline-delete', 'offline-expand', 'offline-recreate', 'offline-ready']) {
      assert.deepEqual(step(`${id}:data-web-1`).when, { type: 'step-acted', step: 'offline-stop:data-web-1' }, `${id} only after this operation's own orphan delete, never a StatefulSet away for another reason`);
    }
    assert.deepEqual(step('offline-delete:data-web-1').action, { verb: 'delete', target: { kind: 'Pod', namespace: 'db', name: 'web-1', uid: find<KubeObject>(objects, 'web-1').metadata.uid } }, 'a graceful delete of the planned pod: an orphan cannot be evicted under a maxUnavailable budget');
    assert.ok(step('offline-delete:data-web-1').requires.some((r) => r.type === 'gone'), 'and only while the StatefulSet is away');
    assert.deepEqual(step('offline-expand:data-web-1').until?.type, 'claim-controller-expanded');
    assert.equal(step('offline-recreate:data-web-1').action.verb, 'recreate');
  });

  it('refuses during an unfinished rollout: re-creating would put the pods below the partition on the new revision', () => {
    const objects = running('db', 'web', { replicas: 2 });
    const sts = find<StatefulSet>(objects, 'web');
    sts.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    sts.status = { currentRevision: 'web-5d8f', updateRevision: 'web-7c9b', observedGeneration: 2 };
    sts.metadata.generation = 2;
    assert.deepEqual(codes(objects), ['rollout-in-progress']);
    assert.match(plan(objects).refusals[0]!.message, /currentRevision web-5d8f, updateRevision web-7c9b, partition 1\): re-creating it now would put every pod below the partition/);
    sts.status = { currentRevision: 'web-7c9b', updateRevision: 'web-7c9b', observedGeneration: 2 };
    assert.deepEqual(codes(objects), []);
  });

  it('refuses a StatefulSet another controller owns, naming it', () => {
    const objects = running('db', 'web', { replicas: 1 });
    find<StatefulSet>(objects, 'web').metadata.ownerReferences = [{ apiVersion: 'databases.example.com/v1', kind: 'PostgresCluster', name: 'main', controller: true }];
    assert.deepEqual(codes(objects), ['owned-by-controller']);
    assert.match(plan(objects).refusals[0]!.message, /owned by PostgresCluster main \(databases.example.com\/v1\): its controller would create it again with its own template/);
  });

  it('never counts through the ordinals of a huge StatefulSet: it says how many replicas have no claim', () => {
    const objects = running('db', 'web', { replicas: 2 });
    find<StatefulSet>(objects, 'web').spec!.replicas = 2 ** 31 - 1;
    const { refusals } = plan(objects);
    assert.deepEqual(refusals.map((r) => r.code), ['claim-missing']);
    assert.match(refusals[0]!.message, /2147483645 of the 2147483647 replicas of statefulset web have no claim/);
  });

  it('patches the template in place where the API server offers KEP-4650', () => {
    const { plan: p } = plan(running('db', 'web'), '20Gi', { inPlaceClaimTemplates: true });
    assert.deepEqual(p.steps.slice(-1).map((s) => s.id), ['template']);
    assert.ok(!p.steps.some((s) => s.id === 'orphan'));
  });

  it('skips claims already at the size (a resize half done by hand)', () => {
    const objects = running('db', 'web');
    const c = find<PersistentVolumeClaim>(objects, 'data-web-2');
    c.spec!.resources!.requests!.storage = '20Gi';
    c.status!.capacity!.storage = '20Gi';
    assert.ok(!plan(objects).plan.steps.some((s) => s.id.endsWith('data-web-2')));
  });

  it('refuses a shrink, a class without expansion, a provisioner that cannot expand, a failing resize, an unready replica, too little quota', () => {
    assert.deepEqual(codes(running('db', 'web'), '5Gi'), ['shrink', 'shrink', 'shrink', 'shrink']);
    assert.deepEqual(codes(running('db', 'web', { replicas: 1, expand: false })), ['class-cannot-expand']);
    assert.deepEqual(codes(running('db', 'web', { replicas: 1, provisioner: 'rancher.io/local-path' })), ['provisioner-cannot-expand']);
    const failing = running('db', 'web', { replicas: 1 });
    find<PersistentVolumeClaim>(failing, 'data-web-0').status!.conditions = [{ type: 'ControllerResizeError', status: 'True', message: 'quota' }];
    assert.deepEqual(codes(failing), ['resize-failing']);
    const unready = running('db', 'web', { replicas: 2 });
    find<Pod>(unready, 'web-1').status!.conditions = [];
    assert.deepEqual(codes(unready), ['replica-not-ready']);
    const tight = [...running('db', 'web', { replicas: 2 }), quota('db', 'storage', { 'requests.storage': '30Gi' }, { 'requests.storage': '20Gi' })];
    assert.deepEqual(codes(tight), ['quota']);
    assert.match(plan(tight).refusals[0]!.message, /limits requests.storage to 30Gi; 20Gi is used and this needs 20Gi more/);
  });

  it('rejects unknown names and sizes as input errors', () => {
    assert.throws(() => planResize(modelOf(running('db', 'web')), { namespace: 'db', statefulSet: 'nope', to: '20Gi' }, ONLINE), (e: unknown) => e instanceof InputError && /statefulset\/nope: not found in namespace db/.test(e.message));
    assert.throws(() => planResize(modelOf(running('db', 'web')), { namespace: 'db', statefulSet: 'web', to: '20Gi', template: 'logs' }, ONLINE), /--template logs: statefulset\/web has claim templates data/);
  });

  it('warns about GitOps owners and tells a Helm release what to change', () => {
    const objects = running('db', 'web', { replicas: 1 });
    const sts = find<StatefulSet>(objects, 'web');
    sts.metadata.labels = { 'app.kubernetes.io/managed-by': 'Helm', 'argocd.argoproj.io/instance': 'shop' };
    sts.metadata.annotations = { 'meta.helm.sh/release-name': 'web-db' };
    const { plan: p } = plan(objects);
    assert.match(p.warnings.join('\n'), /Argo CD manages this StatefulSet \(application shop\).*argocd app set shop --sync-policy none/);
    assert.match(p.afterwards.join('\n'), /Helm release web-db: set the value that renders volumeClaimTemplates "data" to 20Gi/);
  });

  it('warns "possibly Argo CD" for the instance label Argo CD 2.x tracks by, unless a Helm release explains it', () => {
    const objects = running('db', 'web', { replicas: 1 });
    const sts = find<StatefulSet>(objects, 'web');
    sts.metadata.labels = { 'app.kubernetes.io/instance': 'shop', 'app.kubernetes.io/managed-by': 'Helm' };
    assert.match(plan(objects).plan.warnings.join('\n'), /Possibly managed by Argo CD: label app.kubernetes.io\/instance=shop/);
    sts.metadata.annotations = { 'meta.helm.sh/release-name': 'shop' };
    assert.deepEqual(plan(objects).plan.warnings, [], 'installed by helm: the label is the release\'s own');
    sts.metadata.annotations = { 'argocd.argoproj.io/tracking-id': 'shop:apps/StatefulSet:db/web' };
    assert.match(plan(objects).plan.warnings.join('\n'), /Argo CD manages this StatefulSet \(application shop\)/);
  });
});
