// Plans from a dump and saved plans: what can be checked without a cluster. The round trip through
// `stsvol apply` against a live control plane is in test/cluster/operations/safety.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from '../../fixtures/cli.ts';
import { running } from '../plans/replicas.ts';

const tmp = mkdtempSync(join(tmpdir(), 'stsvol-plan-'));
/** Two Ready replicas of db/web in a class that expands: a resize the preflight accepts. */
const healthy = join(tmp, 'healthy.json');
writeFileSync(healthy, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: running('db', 'web', { replicas: 2 }) }));
const noCluster = () => { throw new Error('a plan from a dump reads no cluster'); };

describe('plans from a dump', () => {
  it('plans from --from without a cluster, says it was not checked live, and saves it with --out', async () => {
    const out = join(tmp, 'resize.json');
    const r = await cli(['resize', 'web', '-n', 'db', '--to', '20Gi', '--from', healthy, '--out', out], { transports: noCluster });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^Plan from a dump: resize statefulset\/web \(not checked against a live API server: no journal, no dry run; stsvol apply checks every step live\)/);
    assert.match(r.stdout, /Saved to .*resize\.json: stsvol apply .*resize\.json applies it once it finds the cluster has not moved\./);
    assert.doesNotMatch(r.stdout, /Run again with --apply/);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(file.apiVersion, 'stsvol.io/v1');
    assert.equal(file.kind, 'Plan');
    assert.deepEqual(file.source, { type: 'offline', files: [healthy] });
    assert.deepEqual(file.plan.request, { statefulSet: 'web', to: '20Gi', remountAfterSeconds: 120, namespace: 'db' });
    assert.deepEqual(file.refusals, []);
  });

  it('saves a refused plan with its refusals, and exits 4', async () => {
    const out = join(tmp, 'scale.json');
    const r = await cli(['scale', 'kafka', '-n', 'kafka', '--replicas', '5', '--from', 'examples/seed-004-scale-down.yaml', '--out', out], { transports: noCluster });
    assert.equal(r.code, 4);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).refusals.map((x: { code: string }) => x.code), ['leftover-claim', 'leftover-claim']);
  });

  it('never applies from a dump, and --out does not go with --apply', async () => {
    const fromDump = await cli(['scale', 'kafka', '-n', 'kafka', '--replicas', '2', '--from', 'examples/seed-004-scale-down.yaml', '--apply', '--yes'], { transports: noCluster });
    assert.equal(fromDump.code, 2);
    assert.match(fromDump.stderr, /--from plans from a dump and changes nothing: save the plan with --out and apply it with stsvol apply/);
    const both = await cli(['scale', 'kafka', '-n', 'kafka', '--replicas', '2', '--out', join(tmp, 'x.json'), '--apply'], { transports: noCluster });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--out saves the plan for stsvol apply: it does not go with --apply/);
  });

  it('-o json marks the plan as made offline', async () => {
    const r = await cli(['reclaim', '-n', 'kafka', '--from', 'examples/seed-004-scale-down.yaml', '-o', 'json'], { transports: noCluster });
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.offline, true);
    assert.deepEqual(doc.plan.steps.map((s: { id: string }) => s.id), ['delete:kafka/data-kafka-3', 'delete:kafka/data-kafka-4', 'delete:pvc-8c000000-0000-4000-8000-000000000005']);
  });
});

describe('stsvol apply', () => {
  it('refuses a file that is not a saved plan, in one line, before any cluster is read', async () => {
    const notPlan = join(tmp, 'not-a-plan.json');
    writeFileSync(notPlan, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }));
    const r = await cli(['apply', notPlan], { transports: noCluster });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^stsvol: error: .*not-a-plan\.json: not a plan saved by stsvol \(expected apiVersion stsvol\.io\/v1, kind Plan; made with --out\)\n$/);
    const broken = join(tmp, 'broken.json');
    writeFileSync(broken, JSON.stringify({ apiVersion: 'stsvol.io/v1', kind: 'Plan', createdAt: 'yesterday', plan: {}, refusals: [] }));
    assert.match((await cli(['apply', broken], { transports: noCluster })).stderr, /a Plan whose plan, refusals or createdAt cannot be read/);
    assert.equal((await cli(['apply', join(tmp, 'missing.json')], { transports: noCluster })).code, 2);
  });
});
