import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CHECK_IDS } from '../../../src/checks/catalog.ts';
import { cli } from '../../fixtures/cli.ts';

const SEED_000 = 'examples/seed-000-scale-up.yaml';

describe('doctor -o json', () => {
  it('follows the documented schema', async () => {
    const { code, stdout, stderr } = await cli(['doctor', '--from', SEED_000, '-o', 'json']);
    assert.equal(code, 1);
    assert.equal(stderr, '');
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), ['apiVersion', 'kind', 'findings', 'incidents', 'summary', 'notices']);
    assert.equal(report.apiVersion, 'stsvol.io/v1');
    assert.equal(report.kind, 'DoctorReport');
    for (const f of report.findings) {
      assert.deepEqual(Object.keys(f).filter((k) => k !== 'cause'), ['check', 'severity', 'object', 'workload', 'related', 'message', 'evidence', 'remediation']);
      if (f.cause) assert.equal(typeof f.cause.kind, 'string');
      assert.ok(CHECK_IDS.includes(f.check));
      assert.ok(['critical', 'warning', 'info'].includes(f.severity));
      assert.equal(typeof f.object.kind, 'string');
      assert.equal(typeof f.object.name, 'string');
      assert.ok(f.message.length > 0);
      assert.ok(f.evidence.length > 0, `${f.check} gives evidence`);
      assert.ok(f.remediation.length > 0, `${f.check} gives a remedy`);
      for (const e of f.evidence) assert.ok(['event', 'condition', 'field'].includes(e.type) && typeof e.text === 'string');
      for (const s of f.remediation) assert.equal(typeof s.text, 'string');
      const ways = f.remediation.map((s: { way?: string }) => s.way);
      assert.ok(ways.every((w: string | undefined, i: number) => !w || ways.slice(i).every((x: string | undefined) => x !== undefined)), `${f.check}: the steps done first come before the alternatives`);
    }
    for (const incident of report.incidents) {
      assert.deepEqual(Object.keys(incident), ['cause', 'title', 'findings', 'remediation']);
      for (const i of incident.findings) assert.deepEqual(report.findings[i].cause, incident.cause, 'each finding of an incident names its cause');
    }
    const node = report.incidents.find((i: { cause: { kind: string } }) => i.cause.kind === 'Node');
    assert.deepEqual(node.findings.map((i: number) => report.findings[i].check).sort(), ['pod-on-missing-node', 'stale-volumeattachment', 'stuck-terminating'], 'one lost node, one incident');
    assert.match(node.remediation[0].command, /^stsvol recover node\/cn-shenzhen\.172\.16\.19\.55$/);
    const s = report.summary;
    assert.equal(s.total, report.findings.length);
    assert.equal(s.incidents, 6, '3 claims of one class, 3 findings of one node, 4 on their own');
    assert.equal(s.critical + s.warning + s.info, s.total);
    assert.equal(Object.values(s.byCheck as Record<string, number>).reduce((a, b) => a + b, 0), s.total);
    assert.equal(s.now, '2026-03-10T10:30:00Z');
    assert.equal(s.clock, 'captured-at');
    assert.equal(s.source, 'offline');
    assert.equal(s.failed, true);
    assert.equal(stdout, `${JSON.stringify(report, null, 2)}\n`, 'written in pieces, exactly what JSON.stringify gives');
    assert.equal(s.complete, true);
    assert.deepEqual(s.unread, []);
    assert.equal(s.clockReason, 'when stsvol snapshot read the cluster');
    const ranks = report.findings.map((f: { severity: string }) => ['critical', 'warning', 'info'].indexOf(f.severity));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'worst first');
  });

  it('writes the same document as YAML', async () => {
    const json = JSON.parse((await cli(['doctor', '--from', SEED_000, '-o', 'json'])).stdout);
    const yaml = parse((await cli(['doctor', '--from', SEED_000, '-o', 'yaml'])).stdout);
    assert.deepEqual(yaml, json);
  });

  it('says the same thing about the same dump whenever it is analysed', async () => {
    const monday = await cli(['doctor', '--from', SEED_000, '-o', 'json'], { now: Date.parse('2026-03-10T11:00:00Z') });
    const nextWeek = await cli(['doctor', '--from', SEED_000, '-o', 'json'], { now: Date.parse('2026-03-17T11:00:00Z') });
    assert.equal(nextWeek.stdout, monday.stdout);
    const later = JSON.parse((await cli(['doctor', '--from', SEED_000, '-o', 'json', '--now', '2026-03-10T10:32:00Z'])).stdout);
    assert.equal(later.summary.clock, '--now');
    assert.match(later.findings.find((f: { check: string }) => f.check === 'stuck-terminating').message, /terminating 26m past its deadline/);
  });

  it('runs only the checks asked for, and filters by namespace keeping volumes of that namespace', async () => {
    const only = JSON.parse((await cli(['doctor', '--from', 'examples', '-o', 'json', '--check', 'multi-attach,released-pv'])).stdout);
    assert.deepEqual(new Set(only.findings.map((f: { check: string }) => f.check)), new Set(['multi-attach', 'released-pv']));
    assert.deepEqual(only.summary.checksRun, ['multi-attach', 'released-pv']);
    const kafka = JSON.parse((await cli(['doctor', '--from', 'examples', '-o', 'json', '-n', 'kafka'])).stdout);
    assert.ok(kafka.findings.length > 0);
    for (const f of kafka.findings) assert.ok(f.object.namespace === 'kafka' || f.related.some((r: { namespace?: string }) => r.namespace === 'kafka'));
    assert.ok(kafka.findings.some((f: { check: string }) => f.check === 'released-pv'), 'the Released PV of a kafka claim is kept');
  });
});
