// The terminal report as an on-call engineer reads it. The full rendering of each example is kept
// in golden files at fixed widths (test/unit/cli/golden/; STSVOL_UPDATE_GOLDEN=1 writes them anew,
// to be read in the diff); the properties the layout promises are asserted on their own.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from '../../fixtures/cli.ts';

const ESC = '\u001b[';
const GOLDEN = join(import.meta.dirname, 'golden');
const EXAMPLES = ['seed-000-scale-up', 'seed-001-node-lost', 'seed-002-resize', 'seed-004-scale-down'];

async function doctor(example: string, args: string[], columns?: number) {
  return cli(['doctor', '--from', `examples/${example}.yaml`, ...args], { env: columns ? { COLUMNS: String(columns) } : {} });
}

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.STSVOL_UPDATE_GOLDEN) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} (STSVOL_UPDATE_GOLDEN=1 rewrites it; read the diff)`);
}

/** Lines that are a command: indented, nothing else on them. */
const isCommand = (line: string) => /^ +(kubectl|stsvol) /.test(line);

describe('doctor terminal output', () => {
  for (const example of EXAMPLES) {
    it(`renders ${example} as its golden files at 80 and 120 columns, and as a table at 100`, async () => {
      golden(`${example}.80.txt`, (await doctor(example, [], 80)).stdout);
      golden(`${example}.120.txt`, (await doctor(example, [], 120)).stdout);
      golden(`${example}.table.100.txt`, (await doctor(example, ['-o', 'table'], 100)).stdout);
    });
  }

  it('wraps prose to the width with hanging indents, never a command, and puts each command on a line of its own', async () => {
    for (const example of EXAMPLES) {
      const lines = (await doctor(example, [], 80)).stdout.split('\n');
      for (const line of lines) {
        if (!isCommand(line)) assert.ok(line.length <= 80 || !line.includes(' ', line.search(/\S/)), `${example}: wrapped: ${line}`);
        assert.doesNotMatch(line, /\$ (kubectl|stsvol) /, 'no step number on a command line: a triple-click copies the command alone');
      }
      assert.ok(lines.some(isCommand));
    }
    const unwrapped = (await doctor('seed-000-scale-up', [])).stdout;
    assert.ok(unwrapped.split('\n').some((l) => l.length > 200), 'a pipe without COLUMNS gets the prose on one line');
  });

  it('gives alternatives as alternatives, with their conditions in view', async () => {
    const seed4 = (await doctor('seed-004-scale-down', [], 120)).stdout;
    assert.match(seed4, /1\. Decide whether the data is still needed\.\n.*kubectl get pv pvc-8c000000-0000-4000-8000-000000000005 -o yaml\n\s+Then one of these 2 ways, not more than one:\n\s+A\. the data is needed: /);
    assert.match(seed4, /B\. the data is not needed: Delete the volume/);
    const seed0 = (await doctor('seed-000-scale-up', [], 120)).stdout;
    assert.match(seed0, /A\. the reuse is intended \(a planned migration\): Mark the volume [\s\S]*? do it only for data meant for this replica\.\n\s+only when: the application confirms/);
    assert.match(seed0, /A\. with stsvol: stsvol takes the by-hand steps[^\n]*\n[^\n]*\n\s+stsvol recover pod\/receiver-web-statefulset-2 -n cx-idc\n\s+B\. by hand:\n\s+B1\. Confirm/);
    assert.match(seed0.replace(/\n\s+/g, ' '), /Quarantine d-wz9gme1m29dd3jkf0g2x \(1000Gi\), another Available volume of class idc-receiver-web-20220328, not d-wz9gme1m29dd3jkf0g2t that the claim large-format-log-receiver-web-statefulset-4 has now/,
      'two volume names one character apart: the step says which is which');
    const seed2 = (await doctor('seed-002-resize', [], 120)).stdout;
    assert.match(seed2, /B1\. Save the StatefulSet as it is\./);
    assert.match(seed2.replace(/\n\s+/g, ' '), /B3\. In \.\/redis-statefulset\.yaml set volumeClaimTemplates "data" storage to 2Gi, drop status, metadata\.resourceVersion and metadata\.uid, and apply it: .* only when: \.\/redis-statefulset\.yaml is edited as said: applied as saved/, 'the edit is said next to the apply, as its condition');
  });

  it('groups one cause into one incident, with the action that fixes all of it once', async () => {
    const { stdout } = await doctor('seed-000-scale-up', [], 200);
    assert.match(stdout, /^Node cn-shenzhen\.172\.16\.19\.55 does not exist: one cause of 3 findings in StatefulSet cx-idc\/receiver-web-statefulset {2}\(2 critical, 1 warning\)\n {2}1\. stsvol recovers every pod and attachment of cn-shenzhen\.172\.16\.19\.55 in one plan/m);
    assert.match(stdout, /^Storage class idc-receiver-web-20220328: one cause of 3 findings/m);
    assert.match(stdout, /10 findings in 6 incidents: 7 critical, 3 warning\./);
  });

  it('ends with the criticals once more, an incident once', async () => {
    const { stdout } = await doctor('seed-000-scale-up', [], 100);
    const start = stdout.slice(stdout.indexOf('Start here'));
    assert.match(start, /^Start here \(4 critical incidents\):\n/);
    assert.match(start, /- Storage class idc-receiver-web-20220328: one cause of 3 findings/);
    assert.match(start, /- Node cn-shenzhen\.172\.16\.19\.55 does not exist/);
    assert.match(start, /- stale-pv-reuse {2}PersistentVolume d-wz9gme1m29dd3jkf0g2t: /);
    for (const line of start.trimEnd().split('\n')) assert.ok(line.length <= 100);
    assert.doesNotMatch((await doctor('seed-002-resize', [])).stdout, /Start here/, 'no criticals, no list');
  });

  it('--severity shows only that level and above, while --fail-on still counts every finding', async () => {
    const critical = await doctor('seed-004-scale-down', ['--severity', 'critical']);
    assert.equal(critical.code, 1, 'the warnings still fail the run');
    assert.doesNotMatch(critical.stdout, /WARNING|INFO/);
    assert.match(critical.stdout, /8 findings in \d+ incidents: 2 critical, 3 warning, 3 info\. Shown: 2 at --severity critical or above\./);
    const json = JSON.parse((await doctor('seed-004-scale-down', ['--severity', 'warning', '-o', 'json'])).stdout);
    assert.deepEqual(new Set(json.findings.map((f: { severity: string }) => f.severity)), new Set(['critical', 'warning']));
    assert.equal(json.summary.total, 8);
    assert.equal(json.summary.shownSeverity, 'warning');
    const none = await doctor('seed-002-resize', ['--severity', 'critical']);
    assert.match(none.stdout, /No findings at --severity critical or above \(4 findings below --severity critical\)\./);
  });

  it('-o table has one line per finding, worst first, cut to the terminal', async () => {
    const { stdout, code } = await doctor('seed-000-scale-up', ['-o', 'table'], 100);
    assert.equal(code, 1);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^SEVERITY +CHECK +NAMESPACE +OBJECT +CAUSE +MESSAGE$/);
    assert.equal(lines.length, 11, 'a header and 10 findings');
    assert.match(lines[1]!, /^CRITICAL /);
    assert.match(lines.at(-1)!, /^WARNING /);
    const prefix = lines[0]!.indexOf('MESSAGE');
    for (const line of lines) assert.ok(line.length <= Math.max(100, prefix + 30), 'the message cut to what is left of the line');
    assert.ok(lines.some((l) => l.includes('volumeattachment/csi-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d ')), 'names whole');
    assert.ok(lines.some((l) => /node\/cn-shenzhen\.172\.16\.19\.55/.test(l)), 'the cause of an incident');
  });

  it('says in its header which clock it used and why, with counts in words that agree', async () => {
    assert.match((await doctor('seed-001-node-lost', [])).stdout, /^stsvol doctor {2}offline input, now 2026-03-10T10:30:00Z \(clock: when stsvol snapshot read the cluster\)\n/);
    assert.match((await doctor('seed-000-scale-up', [])).stdout, /^3 nodes, 8 pods, 8 claims, 6 volumes, 1 StatefulSet$/m);
    assert.match((await cli(['doctor', '--from', 'test/fixtures/dumps/pods-only.yaml'])).stdout, /\(clock: the newest timestamp in the input \(2026-03-10T10:00:00Z, Pod db\/web-0\), the only object with one; pass --now to choose\)/);
    assert.match((await cli(['doctor', '--from', 'examples', '--now', '2026-03-10T11:00:00Z'])).stdout, /now 2026-03-10T11:00:00Z \(clock: given with --now\)/);
  });

  it('-o wide shows more evidence, whole', async () => {
    const compact = (await doctor('seed-001-node-lost', [])).stdout;
    const wide = (await doctor('seed-001-node-lost', ['-o', 'wide'])).stdout;
    assert.ok(!compact.includes('2 node(s) had volume node affinity conflict. preemption'), 'one line of evidence, cut');
    assert.ok(wide.includes('schedulable nodes are in zones: us-east-1a, us-east-1b'), 'every line of evidence');
  });

  it('uses colour on a terminal only, and never with NO_COLOR', async () => {
    assert.ok(!(await cli(['doctor', '--from', 'examples/seed-002-resize.yaml'])).stdout.includes(ESC));
    assert.ok((await cli(['doctor', '--from', 'examples/seed-002-resize.yaml'], { tty: true })).stdout.includes(ESC));
    assert.ok(!(await cli(['doctor', '--from', 'examples/seed-002-resize.yaml'], { tty: true, env: { NO_COLOR: '1' } })).stdout.includes(ESC));
  });

  it('says so when everything is clean, and names hidden kinds with the checks they weaken', async () => {
    const { stdout } = await cli(['doctor', '--from', 'examples/seed-002-resize.yaml', '--check', 'multi-attach']);
    assert.match(stdout, /No findings: 1 check ran clean\./);
    const blind = await cli(['doctor', '--from', 'test/fixtures/dumps/pods-only.yaml']);
    assert.match(blind.stdout, /note: the input holds no Node objects; weaker checks: .*pod-on-missing-node/);
  });
});
