import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { cli } from '../../fixtures/cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'stsvol-cli-'));
const clean = join(tmp, 'clean.yaml');
// A cluster with one node and nothing else: typed empty lists (what the API answers) say so.
writeFileSync(clean, [
  'kind: List\nitems:\n- {kind: Node, metadata: {name: n1, creationTimestamp: "2026-01-01T00:00:00Z"}, status: {conditions: [{type: Ready, status: "True"}]}}',
  ...['PodList', 'PersistentVolumeClaimList', 'PersistentVolumeList'].map((kind) => `apiVersion: v1\nkind: ${kind}\nitems: []`),
].join('\n---\n') + '\n');
const warningsOnly = 'examples/seed-002-resize.yaml';

describe('exit codes', () => {
  it('gates on --fail-on: 1 at or above the threshold, 0 below it or with none', async () => {
    assert.equal((await cli(['doctor', '--from', warningsOnly])).code, 1, 'default threshold is warning');
    assert.equal((await cli(['doctor', '--from', warningsOnly, '--fail-on', 'critical'])).code, 0);
    assert.equal((await cli(['doctor', '--from', 'examples', '--fail-on', 'critical'])).code, 1);
    assert.equal((await cli(['doctor', '--from', 'examples', '--fail-on', 'none'])).code, 0);
    assert.equal((await cli(['doctor', '--from', clean, '--fail-on', 'info'])).code, 0);
  });

  it('exits 3 for a dump without pods, claims, volumes or nodes, as live doctor does when it cannot read them', async () => {
    const partial = await cli(['doctor', '--from', 'test/fixtures/dumps/pods-only.yaml', '--fail-on', 'none']);
    assert.equal(partial.code, 3);
    assert.equal(partial.stderr, 'stsvol: error: the input holds no PersistentVolumeClaim, PersistentVolume, Node, so the cluster cannot be called healthy; add them to the dump (kubectl get pods,pvc,pv,nodes -A -o yaml) or write one with stsvol snapshot\n');
    assert.match(partial.stdout, /this is not a clean bill of health/);
    const noNodes = join(tmp, 'no-nodes.yaml');
    const seed4 = parse(readFileSync('examples/seed-004-scale-down.yaml', 'utf8')) as { items: { kind: string }[] };
    writeFileSync(noNodes, stringify({ ...seed4, items: seed4.items.filter((o) => o.kind !== 'Node') }));
    assert.equal((await cli(['doctor', '--from', noNodes])).code, 1, 'a finding that fails the run decides first');
  });

  const bad: [string, string[], RegExp][] = [
    ['a missing path', ['doctor', '--from', join(tmp, 'nope.yaml')], /nope\.yaml: no such file or directory/],
    ['an unknown check', ['doctor', '--from', clean, '--check', 'multi-attach,disk-full'], /unknown check "disk-full" \(see stsvol checks\)/],
    ['a bad --now', ['doctor', '--from', clean, '--now', 'yesterday'], /--now yesterday: not a valid RFC3339 time/],
    ['a --now on February 31', ['doctor', '--from', clean, '--now', '2026-02-31T00:00:00Z'], /--now 2026-02-31T00:00:00Z: not a valid RFC3339 time/],
    ['a --now at 24:00', ['doctor', '--from', clean, '--now', '2026-03-10T24:00:00Z'], /--now 2026-03-10T24:00:00Z: not a valid RFC3339 time/],
    ['a bad --request-timeout', ['doctor', '--from', clean, '--request-timeout', 'soon'], /--request-timeout soon: not a duration/],
    ['a file that holds no Kubernetes object', ['doctor', '--from', 'package.json'], /--from package\.json: holds no Kubernetes object/],
    ['-n with -A', ['doctor', '--from', clean, '-n', 'db', '-A'], /cannot be used together/],
    ['a bad namespace name', ['doctor', '--from', clean, '-n', 'Not_A_Namespace'], /not a valid namespace name/],
  ];
  for (const [what, args, message] of bad) {
    it(`exits 2 on ${what}, with one line on stderr and nothing on stdout`, async () => {
      const { code, stdout, stderr } = await cli(args);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, message);
      assert.equal(stderr.trim().split('\n').length, 1);
      assert.match(stderr, /^stsvol: error: /);
    });
  }

  it('exits 2 on usage errors (unknown flag, bad -o value), with the reason', async () => {
    const flag = await cli(['doctor', '--from', clean, '--frm', 'x']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option '--frm'/);
    const output = await cli(['doctor', '--from', clean, '-o', 'xml']);
    assert.equal(output.code, 2);
    assert.match(output.stderr, /argument 'xml' is invalid/);
    assert.equal(output.stdout, '');
  });

  it('exits 0 for help and version', async () => {
    assert.equal((await cli(['--help'])).code, 0);
    assert.match((await cli(['--version'])).stdout, /^\d+\.\d+\.\d+/);
  });
});
