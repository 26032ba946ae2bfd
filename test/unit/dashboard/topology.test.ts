// The graph of one StatefulSet: exactly the chain pod → claim → volume → attachment → node, with
// each element's worst finding, and what is left over beside it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MYSQL_EDGES, MYSQL_NODES, SEED_001, viewOf } from '../../fixtures/dashboard.ts';

describe('dashboard topology', () => {
  it('draws a Multi-Attach after a lost node as the chain it is, nothing more', async () => {
    const detail = (await viewOf([SEED_001])).detail('db', 'mysql')!;
    assert.deepEqual(detail.topology.nodes.map((n) => n.id).sort(), [...MYSQL_NODES].sort());
    assert.deepEqual(detail.topology.edges.map((e) => `${e.from}>${e.to}`).sort(), MYSQL_EDGES);
    const health = Object.fromEntries(detail.topology.nodes.map((n) => [n.id, n.health]));
    assert.equal(health['Pod/db/mysql-0'], 'critical', 'the pod that cannot start');
    assert.equal(health['Node/node-old-123'], 'critical', 'the lost node holding the volume');
    assert.equal(health['Pod/db/mysql-2'], 'ok');
    const lost = detail.topology.nodes.find((n) => n.id === 'Node/node-old-123')!;
    assert.match(lost.detail, /^NotReady/);
    assert.deepEqual(detail.topology.zones, ['us-east-1a', 'us-east-1b'], 'nodes are grouped by their zone label');
    assert.equal(lost.zone, 'us-east-1a');
  });

  it('shows each drawn element as YAML of the fields stsvol reads', async () => {
    const detail = (await viewOf([SEED_001])).detail('db', 'mysql')!;
    assert.deepEqual(Object.keys(detail.yaml).sort(), [...MYSQL_NODES].sort());
    assert.match(detail.yaml['Pod/db/mysql-0']!, /^kind: Pod$/m);
    assert.match(detail.yaml['Pod/db/mysql-0']!, /nodeName: node-456/);
  });

  it('draws claims above the replicas and Released volumes of the StatefulSet as left over', async () => {
    const view = await viewOf(['examples/seed-004-scale-down.yaml']);
    const kafka = view.detail('kafka', 'kafka')!;
    const leftovers = kafka.topology.nodes.filter((n) => n.leftover);
    assert.ok(leftovers.some((n) => n.kind === 'PersistentVolumeClaim' && /above the \d+ replicas/.test(n.leftover!)), 'a claim above the replicas');
    assert.ok(leftovers.some((n) => n.kind === 'PersistentVolume' && /^Released by /.test(n.leftover!)), 'a Released volume of its claims');
    const ordinal = (name: string) => Number(/-(\d+)$/.exec(name)![1]);
    for (const n of kafka.topology.nodes.filter((x) => x.kind === 'PersistentVolumeClaim')) assert.equal(Boolean(n.leftover), ordinal(n.name) >= kafka.row.desired, n.name);
  });

  it('knows no StatefulSet outside its namespace, or one that does not exist', async () => {
    const view = await viewOf([SEED_001], { namespace: 'db' });
    assert.ok(view.detail('db', 'mysql'));
    assert.equal(view.detail('search', 'es-data'), undefined);
    assert.equal(view.detail('db', 'nope'), undefined);
    assert.deepEqual(view.rows().map((r) => r.key), ['db/mysql']);
  });
});

describe('dashboard usage', () => {
  it('gives the samples, the trend and the days to full where there are samples, and says why not elsewhere', async () => {
    const { MYSQL_0_FILLING } = await import('../../fixtures/dashboard.ts');
    const detail = (await viewOf([SEED_001], { usage: MYSQL_0_FILLING })).detail('db', 'mysql')!;
    const [filling, other] = detail.usage;
    assert.equal(filling!.claim, 'data-mysql-0');
    assert.equal(filling!.points.length, 13);
    assert.ok(Math.abs(filling!.bytesPerDay! - 48 * 2 ** 30) < 2 ** 20, `2 GiB an hour is 48 GiB a day (${filling!.bytesPerDay})`);
    assert.ok(Math.abs(filling!.daysToFull! - 40 / 48) < 0.01, '40 GiB left at 48 GiB a day');
    assert.equal(other!.points.length, 0);
    assert.equal(other!.noData, 'no reading for this claim in the test samples');
    assert.deepEqual(detail.row.usage, { claim: 'data-mysql-0', usedPercent: 60, daysToFull: filling!.daysToFull });
  });
});
