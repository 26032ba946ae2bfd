import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planAbandon, type AbandonedJournal } from '../../../src/plans/abandon.ts';
import { planResize } from '../../../src/plans/resize.ts';
import { modelOf } from '../../fixtures/build.ts';
import { running } from './replicas.ts';

const resize = planResize(modelOf(running('db', 'web', { replicas: 2 })), { namespace: 'db', statefulSet: 'web', to: '20Gi' }, { inPlaceClaimTemplates: false }).plan;
const journal = (steps: Record<string, string>, acted: string[]): AbandonedJournal => ({
  namespace: 'db', name: 'stsvol-statefulset-web', plan: resize, state: { steps, acted },
  savedStatefulSet: { kind: 'StatefulSet', namespace: 'db', name: 'web' },
});
const recreates = (j: AbandonedJournal) => planAbandon(j).steps.map((s) => s.id);

describe('abandon planner', () => {
  it('creates the StatefulSet again when the operation orphan-deleted it and did not create it again', () => {
    const p = planAbandon(journal({ save: 'done', 'offline-stop:data-web-1': 'done' }, ['save', 'offline-stop:data-web-1']));
    assert.deepEqual(p.steps.map((s) => s.id), ['abandon:recreate']);
    assert.deepEqual(p.steps[0]!.when, { type: 'gone', target: { kind: 'StatefulSet', namespace: 'db', name: 'web' } }, 'and only if it is still missing');
    assert.ok(p.steps[0]!.requires.some((r) => r.type === 'statefulset-recreatable'), 'admitted by a dry run first');
  });

  it('creates nothing once the re-create after the last orphan delete is done', () => {
    assert.deepEqual(recreates(journal({ 'offline-stop:data-web-1': 'done', 'offline-recreate:data-web-1': 'done' }, ['offline-stop:data-web-1', 'offline-recreate:data-web-1'])), []);
  });

  it('creates nothing when the orphan delete was found done rather than acted: the StatefulSet went for another reason', () => {
    assert.deepEqual(recreates(journal({ save: 'done', orphan: 'done' }, ['save'])), []);
  });

  it('goes by the last orphan delete: a second one after a finished re-create leaves it away again', () => {
    const j = journal({ 'offline-stop:data-web-1': 'done', 'offline-recreate:data-web-1': 'done', 'offline-stop:data-web-0': 'acting' },
      ['offline-stop:data-web-1', 'offline-recreate:data-web-1', 'offline-stop:data-web-0']);
    assert.deepEqual(recreates(j), ['abandon:recreate']);
  });
});
