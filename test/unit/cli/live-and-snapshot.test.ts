// Live mode and `stsvol snapshot` through the CLI, with the cluster's list responses replayed from
// the seed examples: doctor live, and doctor on the snapshot of that same moment, agree.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadOffline } from '../../../src/model/offline.ts';
import { cli } from '../../fixtures/cli.ts';
import { RecordedTransport } from '../../fixtures/recorded-transport.ts';

const CAPTURED = Date.parse('2026-03-10T10:30:00Z');

function recordedCluster(): RecordedTransport {
  const { snapshot } = loadOffline(['examples/seed-001-node-lost.yaml']);
  // Replay the same objects the API would list; events go back to their core/v1 wire shape.
  const fields: Record<string, unknown[]> = {
    nodes: snapshot.nodes, pods: snapshot.pods, persistentvolumeclaims: snapshot.claims, persistentvolumes: snapshot.volumes,
    storageclasses: snapshot.storageClasses, csidrivers: snapshot.csiDrivers, csinodes: snapshot.csiNodes,
    volumeattachments: snapshot.attachments, statefulsets: snapshot.statefulSets,
    events: snapshot.events.map((e) => ({
      metadata: { name: e.name, namespace: e.namespace, uid: e.uid }, involvedObject: e.regarding, reason: e.reason, message: e.message,
      type: e.type, count: e.count, firstTimestamp: e.firstTime, lastTimestamp: e.lastTime, source: { component: e.reporter },
    })),
  };
  return RecordedTransport.serving(fields, { pageSize: 3 });
}

describe('live doctor and stsvol snapshot', () => {
  it('finds live what it finds offline, and the snapshot reads back to the same findings', async () => {
    const transport = recordedCluster();
    const live = await cli(['doctor', '-o', 'json'], { transports: () => transport, now: CAPTURED });
    const offline = await cli(['doctor', '--from', 'examples/seed-001-node-lost.yaml', '-o', 'json']);
    const liveReport = JSON.parse(live.stdout);
    assert.equal(liveReport.summary.source, 'live');
    assert.equal(liveReport.summary.clock, 'wall-clock');
    assert.deepEqual(liveReport.findings, JSON.parse(offline.stdout).findings);

    const file = join(mkdtempSync(join(tmpdir(), 'stsvol-snap-')), 'snap.json');
    const snap = await cli(['snapshot', '-o', file], { transports: () => recordedCluster(), now: CAPTURED });
    assert.equal(snap.code, 0);
    assert.match(snap.stderr, /wrote \d+ objects \(\d+ requests\) to .*snap\.json/);
    const fromSnapshot = await cli(['doctor', '--from', file, '-o', 'json'], { now: CAPTURED + 7 * 86_400_000 });
    const report = JSON.parse(fromSnapshot.stdout);
    assert.equal(report.summary.clock, 'captured-at');
    assert.deepEqual(report.findings, liveReport.findings);
  });

  it('never writes literal environment values, managed fields or last-applied copies', async () => {
    const pod = {
      metadata: { name: 'app-0', namespace: 'db', managedFields: [{ manager: 'kubectl' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"x"}' } },
      spec: { containers: [{ name: 'app', env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] },
    };
    const file = join(mkdtempSync(join(tmpdir(), 'stsvol-snap-')), 'snap.yaml');
    await cli(['snapshot', '-o', file], { transports: () => RecordedTransport.serving({ pods: [pod] }) });
    const written = readFileSync(file, 'utf8');
    assert.ok(!written.includes('hunter2'));
    assert.ok(!written.includes('managedFields'));
    assert.ok(!written.includes('last-applied-configuration'));
    assert.ok(written.includes('secretKeyRef'), 'references to secrets stay: they hold no secret');
    assert.ok(!/kind: (Secret|ConfigMap)\b/.test(written));
  });
});
