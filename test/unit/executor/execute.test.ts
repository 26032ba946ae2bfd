// The step loop's own decisions: between steps it asks whether it may still act (an operator replica
// that lost its leadership must not take the next step; the next leader resumes the journal).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApi } from '../../../src/model/kube-api.ts';
import { execute, type StepEvent } from '../../../src/executor/execute.ts';
import { Journal } from '../../../src/executor/journal.ts';
import type { Plan } from '../../../src/plans/plan.ts';
import { Objects } from './expectations.test.ts';

const plan: Plan = {
  operation: 'resize', subject: { kind: 'StatefulSet', namespace: 'db', name: 'web' }, namespace: 'db', request: {}, summary: [], warnings: [], afterwards: [],
  steps: ['one', 'two'].map((id) => ({ id, title: id, action: { verb: 'none' as const }, requires: [], undo: '' })),
};

/** Journal writes come back as written; nothing else is read. */
class JournalOnly extends Objects {
  override async request(method: string, path: string, body?: { json: unknown }) {
    if (method === 'GET') return super.request(method, path, body);
    const json = body?.json as { metadata: object } | undefined;
    return { status: 200, body: JSON.stringify({ ...json, metadata: { ...json?.metadata, resourceVersion: '1', uid: 'j' } }) };
  }
}

describe('execute', () => {
  it('stops before the next step when it may no longer act, the journal kept', async () => {
    const api = new KubeApi(new JournalOnly({}));
    const journal = await Journal.create(api, plan, new Date(0));
    let leading = true;
    const events: StepEvent[] = [];
    const result = await execute(plan, {
      api, journal, waitMs: 1000, pollMs: 1, now: () => 0, sleep: async () => undefined,
      onEvent: (e) => {
        events.push(e);
        if (e.id === 'one' && e.phase === 'done') leading = false;
      },
      mayAct: () => (leading ? undefined : 'no longer the leader'),
    });
    assert.deepEqual(result, { status: 'stopped', step: 'two', reason: 'no longer the leader' });
    assert.deepEqual(events.map((e) => `${e.id} ${e.phase}`), ['one running', 'one done', 'two stopped']);
  });

  it('refuses a plan with two steps of one id: the second would be taken as done by the first', async () => {
    const api = new KubeApi(new JournalOnly({}));
    const twice: Plan = { ...plan, steps: [plan.steps[0]!, plan.steps[0]!] };
    const journal = await Journal.create(api, twice, new Date(0));
    await assert.rejects(execute(twice, { api, journal, waitMs: 1000, pollMs: 1, now: () => 0, sleep: async () => undefined, onEvent: () => undefined }), /the plan has two steps one/);
  });
});
