import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cli } from '../../fixtures/cli.ts';

const ESC = '\u001b[';

describe('doctor terminal output', () => {
  it('groups findings by workload, worst first, and fits an incident on one screen', async () => {
    const { stdout } = await cli(['doctor', '--from', 'examples/seed-001-node-lost.yaml']);
    const headers = stdout.split('\n').filter((l) => /^(StatefulSet|Namespace|Cluster) /.test(l));
    assert.deepEqual(headers.map((h) => h.split('  ')[0]), ['StatefulSet db/mysql', 'StatefulSet analytics/clickhouse', 'StatefulSet search/es-data', 'StatefulSet logs/log-collector']);
    assert.match(headers[0]!, /\(2 critical\)/);
    assert.ok(stdout.split('\n').length <= 60, 'one screen');
    assert.match(stdout, /\$ kubectl taint nodes node-old-123 node\.kubernetes\.io\/out-of-service=nodeshutdown:NoExecute\n\s+only when: the machine behind node-old-123 is confirmed powered off/);
  });

  it('says in its header which clock it used and why', async () => {
    assert.match((await cli(['doctor', '--from', 'examples/seed-001-node-lost.yaml'])).stdout, /^stsvol doctor {2}offline input, now 2026-03-10T10:30:00Z \(clock: when stsvol snapshot read the cluster\)\n/);
    assert.match((await cli(['doctor', '--from', 'test/fixtures/dumps/pods-only.yaml'])).stdout, /\(clock: the newest timestamp in the input \(2026-03-10T10:00:00Z, Pod db\/web-0\), the only object with one; pass --now to choose\)/);
    assert.match((await cli(['doctor', '--from', 'examples', '--now', '2026-03-10T11:00:00Z'])).stdout, /now 2026-03-10T11:00:00Z \(clock: given with --now\)/);
  });

  it('-o wide explains every step', async () => {
    const compact = (await cli(['doctor', '--from', 'examples/seed-001-node-lost.yaml'])).stdout;
    const wide = (await cli(['doctor', '--from', 'examples/seed-001-node-lost.yaml', '-o', 'wide'])).stdout;
    assert.ok(!compact.includes('Mark it out of service'));
    assert.ok(wide.includes('Mark it out of service'));
  });

  it('uses colour on a terminal only, and never with NO_COLOR', async () => {
    assert.ok(!(await cli(['doctor', '--from', 'examples/seed-002-resize.yaml'])).stdout.includes(ESC));
    assert.ok((await cli(['doctor', '--from', 'examples/seed-002-resize.yaml'], { tty: true })).stdout.includes(ESC));
    assert.ok(!(await cli(['doctor', '--from', 'examples/seed-002-resize.yaml'], { tty: true, env: { NO_COLOR: '1' } })).stdout.includes(ESC));
  });

  it('says so when everything is clean, and names hidden kinds with the checks they weaken', async () => {
    const { stdout } = await cli(['doctor', '--from', 'examples/seed-002-resize.yaml', '--check', 'multi-attach']);
    assert.match(stdout, /No findings: 1 checks ran clean\./);
    const blind = await cli(['doctor', '--from', 'test/fixtures/dumps/pods-only.yaml']);
    assert.match(blind.stdout, /note: the input holds no Node objects; weaker checks: .*pod-on-missing-node/);
  });
});
