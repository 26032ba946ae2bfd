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
    assert.deepEqual(p.steps.map((s) => s.id), [
      'save',
      'grow:data-web-2', 'expand:data-web-2', 'remount:data-web-2', 'resized:data-web-2',
      'grow:data-web-1', 'expand:data-web-1', 'remount:data-web-1', 'resized:data-web-1',
      'grow:data-web-0', 'expand:data-web-0', 'remount:data-web-0', 'resized:data-web-0',
      'orphan', 'recreate', 'adopted',
    ]);
    const remount = p.steps.find((s) => s.id === 'remount:data-web-1')!;
    assert.equal(remount.action.verb, 'evict');
    assert.equal(remount.when?.type, 'claim-file-system-pending', 'a replica is restarted only when its file system waits for it');
    assert.ok(remount.requires.some((r) => r.type === 'others-ready' && r.except === 'web-1'), 'never two replicas down');
    const orphan = p.steps.find((s) => s.id === 'orphan')!;
    assert.equal(kubectlFor(orphan.action), 'kubectl delete statefulset web -n db --cascade=orphan');
    assert.ok(orphan.action.verb === 'delete' && orphan.action.target.uid, 'the delete carries the uid it was planned for');
    const grow = p.steps.find((s) => s.id === 'grow:data-web-0')!;
    assert.equal(kubectlFor(grow.action), `kubectl patch pvc data-web-0 -n db --type=merge -p '{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}'`);
    assert.deepEqual(grow.until, { type: 'claim-requests', claim: grow.action.verb === 'patch' ? grow.action.target : undefined, atLeast: '20Gi' });
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
});
