// stsvol audit from the command line: its JSON contract, scores and exit codes, the ignore file,
// cost, Markdown for tickets, and the text report (golden at 100 columns).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { AUDIT_IDS } from '../../../src/checks/audit/catalog.ts';
import { cli } from '../../fixtures/cli.ts';
import { wellKept } from '../audit/well-kept.ts';

const SEED_4 = 'examples/seed-004-scale-down.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'stsvol-audit-'));
const GOLDEN = join(import.meta.dirname, 'golden');

function file(name: string, content: string): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

describe('stsvol audit', () => {
  it('writes the documented JSON: a cluster score, each StatefulSet scored worst first, findings of audit checks', async () => {
    const { code, stdout, stderr } = await cli(['audit', '--from', SEED_4, '-o', 'json']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), ['apiVersion', 'kind', 'summary', 'workloads', 'findings', 'suppressed', 'expiredIgnores', 'notices']);
    assert.equal(report.kind, 'AuditReport');
    assert.ok(report.summary.score >= 0 && report.summary.score < 100);
    assert.deepEqual(report.summary.checksRun, AUDIT_IDS);
    const scores = report.workloads.map((w: { score: number }) => w.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => a - b), 'worst first');
    for (const f of report.findings) assert.ok(AUDIT_IDS.includes(f.check), f.check);
    assert.ok(report.findings.some((f: { check: string; workload: { name: string } }) => f.check === 'backup-missing' && f.workload.name === 'kafka'));
    assert.deepEqual(parse((await cli(['audit', '--from', SEED_4, '-o', 'yaml'])).stdout), report, 'the same document as YAML');
  });

  it('scores a well-kept cluster 100 with nothing to report', async () => {
    const clean = file('clean.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { annotations: { 'stsvol.io/captured-at': '2026-03-10T10:30:00Z' } }, items: wellKept() }));
    const { code, stdout } = await cli(['audit', '--from', clean, '--fail-under', '100', '--fail-on', 'info']);
    assert.equal(code, 0);
    assert.match(stdout, /Cluster score 100\/100: 1 StatefulSet audited, nothing to report/);
  });

  it('exits 1 under --fail-under or at --fail-on, 2 on bad flags, 3 when pods, claims, volumes or nodes are missing', async () => {
    assert.equal((await cli(['audit', '--from', SEED_4, '--fail-under', '95'])).code, 1);
    assert.equal((await cli(['audit', '--from', SEED_4, '--fail-on', 'critical'])).code, 1);
    for (const [args, message] of [
      [['--fail-under', '101'], /--fail-under 101: expected a score from 0 to 100/],
      [['--check', 'backup-missing,disk-full'], /--check: unknown audit check "disk-full"/],
      [['--overprovisioned-below', '0%'], /expected a percentage from 1% to 100%/],
      [['--usage-window', 'a week'], /--usage-window a week: expected a Prometheus duration/],
    ] as const) {
      const r = await cli(['audit', '--from', SEED_4, ...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    }
    const partial = await cli(['audit', '--from', 'test/fixtures/dumps/pods-only.yaml']);
    assert.equal(partial.code, 3);
  });

  it('runs the checks asked for, or all but those skipped', async () => {
    const only = JSON.parse((await cli(['audit', '--from', SEED_4, '-o', 'json', '--check', 'backup-missing'])).stdout);
    assert.deepEqual(new Set(only.findings.map((f: { check: string }) => f.check)), new Set(['backup-missing']));
    const skipped = JSON.parse((await cli(['audit', '--from', SEED_4, '-o', 'json', '--skip', 'backup-missing,usage-unmonitored'])).stdout);
    assert.ok(!skipped.findings.some((f: { check: string }) => ['backup-missing', 'usage-unmonitored'].includes(f.check)));
  });

  it('suppresses accepted risks from the ignore file, scores them as passed, and refuses an entry without a reason', async () => {
    const ignore = file('ignore.yaml', stringify({ ignore: [{ check: 'backup-missing', namespace: 'kafka', object: 'StatefulSet/kafka', reason: 'replicated to the other region by MirrorMaker', expires: '2099-01-01' }] }));
    const before = JSON.parse((await cli(['audit', '--from', SEED_4, '-o', 'json'])).stdout);
    const after = JSON.parse((await cli(['audit', '--from', SEED_4, '-o', 'json', '--ignore', ignore])).stdout);
    assert.deepEqual(after.suppressed.map((s: { reason: string; finding: { check: string } }) => [s.finding.check, s.reason]), [['backup-missing', 'replicated to the other region by MirrorMaker']]);
    assert.ok(after.summary.score > before.summary.score);
    const text = (await cli(['audit', '--from', SEED_4, '--ignore', ignore])).stdout;
    assert.match(text, /Suppressed \(accepted risks\):\n {2}- backup-missing StatefulSet kafka\/kafka: replicated to the other region by MirrorMaker \(until 2099-01-01\)/);
    const bad = await cli(['audit', '--from', SEED_4, '--ignore', file('bad.yaml', stringify({ ignore: [{ check: 'backup-missing' }] }))]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /entry 1: "reason" is required/);
  });

  it('prices the storage with --cost, currency, region and sources said', async () => {
    const report = JSON.parse((await cli(['audit', '--from', SEED_4, '-o', 'json', '--cost'])).stdout);
    assert.equal(report.cost.currency, 'USD');
    assert.deepEqual(report.cost.byStatefulSet.map((r: { name: string }) => r.name), ['kafka/kafka', 'kafka/connect']);
    assert.equal(report.cost.leftovers.released.provisionedGiB, 100);
    const prices = file('prices.yaml', stringify({ currency: 'EUR', region: 'eu-central-1', perGiBMonth: { 'gp3-retain': 0.1 } }));
    const eur = JSON.parse((await cli(['audit', '--from', SEED_4, '-o', 'json', '--cost', '--prices', prices])).stdout);
    assert.equal(eur.cost.currency, 'EUR');
    assert.equal(eur.cost.byStatefulSet[0].monthly, 50);
  });

  it('writes Markdown for tickets and pull requests', async () => {
    const { stdout } = await cli(['audit', '--from', SEED_4, '-o', 'markdown', '--cost']);
    assert.match(stdout, /^# stsvol audit\n\n\*\*Cluster score \d+\/100\*\*/);
    assert.match(stdout, /\| workload \| score \| checks \| failed \|\n\|---\|---:\|---:\|---:\|/);
    assert.match(stdout, /## StatefulSet kafka\/kafka — \d+\/100/);
    assert.match(stdout, /- \*\*critical\*\* `backup-missing` /);
    assert.match(stdout, /## Cost per month \(USD/);
  });

  it('renders the text report as its golden file at 100 columns', async () => {
    const { stdout } = await cli(['audit', '--from', SEED_4, '--cost'], { env: { COLUMNS: '100' } });
    const golden = join(GOLDEN, 'audit-seed-004.100.txt');
    if (process.env.STSVOL_UPDATE_GOLDEN) writeFileSync(golden, stdout);
    assert.equal(stdout, readFileSync(golden, 'utf8'));
  });
});
