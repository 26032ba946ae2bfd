// Runs `stsvol doctor` (or `stsvol audit`) against a test cluster twice, as a user would: live
// (kubeconfig), and offline on the `stsvol snapshot` taken at the same moment. Both use the same
// --now, so thresholds are judged at one instant, and the tests can ask "what will doctor say in ten
// minutes if nothing changes" without sleeping.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeTransportFactory } from '../../src/cli/load.ts';
import type { AuditReport } from '../../src/cli/audit.ts';
import type { DoctorReport } from '../../src/cli/report.ts';
import type { Finding } from '../../src/checks/finding.ts';
import { cli } from '../fixtures/cli.ts';
import type { TestCluster } from './test-cluster.ts';

export interface Diagnosis {
  live: DoctorReport;
  offline: DoctorReport;
}

/** The same command live and on a snapshot taken just before, at one --now. */
async function liveAndOffline(cluster: TestCluster, command: string[], snapshotFlags: string[], o: { namespace?: string; minutesFromNow?: number }): Promise<{ live: unknown; offline: unknown }> {
  const now = new Date(Date.now() + (o.minutesFromNow ?? 0) * 60_000).toISOString();
  const scope = o.namespace ? ['-n', o.namespace] : [];
  const file = join(mkdtempSync(join(tmpdir(), 'stsvol-snapshot-')), 'snapshot.json');
  const snap = await cli(['snapshot', '--kubeconfig', cluster.kubeconfigPath, ...scope, ...snapshotFlags, '-f', file], { transports: kubeTransportFactory });
  if (snap.code !== 0) throw new Error(`stsvol snapshot failed (${snap.code}): ${snap.stderr}`);
  const live = await cli([...command, '--kubeconfig', cluster.kubeconfigPath, ...scope, '--now', now, '-o', 'json'], { transports: kubeTransportFactory });
  const offline = await cli([...command, '--from', file, ...scope, '--now', now, '-o', 'json']);
  for (const r of [live, offline]) if (r.code > 1) throw new Error(`stsvol ${command[0]} failed (${r.code}): ${r.stderr}`);
  return { live: JSON.parse(live.stdout), offline: JSON.parse(offline.stdout) };
}

export async function diagnose(cluster: TestCluster, o: { namespace?: string; minutesFromNow?: number } = {}): Promise<Diagnosis> {
  return (await liveAndOffline(cluster, ['doctor'], [], o)) as Diagnosis;
}

/** stsvol audit live (usage from the kubelets) and on `stsvol snapshot --with-usage`. */
export async function auditBoth(cluster: TestCluster, o: { namespace?: string } = {}): Promise<{ live: AuditReport; offline: AuditReport }> {
  return (await liveAndOffline(cluster, ['audit'], ['--with-usage'], o)) as { live: AuditReport; offline: AuditReport };
}

/** "check severity Kind/name" per finding, sorted: what must agree between live and offline. */
export function keys(report: DoctorReport | AuditReport): string[] {
  return report.findings.map((f) => `${f.check} ${f.severity} ${f.object.kind}/${f.object.name}`).sort();
}

export function find(report: DoctorReport, check: string, name?: string): Finding | undefined {
  return report.findings.find((f) => f.check === check && (name === undefined || f.object.name === name));
}

export function worst(report: DoctorReport): string {
  return report.summary.critical ? 'critical' : report.summary.warning ? 'warning' : report.summary.info ? 'info' : 'none';
}

const RESOURCES: Record<string, [apiVersion: string, kind: string]> = {
  pv: ['v1', 'PersistentVolume'], pvc: ['v1', 'PersistentVolumeClaim'], statefulset: ['apps/v1', 'StatefulSet'], storageclass: ['storage.k8s.io/v1', 'StorageClass'],
};

/** Follows a remedy's `kubectl patch R NAME [-n NS] --type=merge -p '<json>'`: the same merge patch,
 *  sent through the API as kubectl would send it. */
export async function followPatch(cluster: TestCluster, command: string): Promise<void> {
  const m = /^kubectl patch (\S+) (\S+)(?: -n (\S+))? --type=merge -p '([^']*)'$/.exec(command);
  const type = m && RESOURCES[m[1]!];
  if (!m || !type) throw new Error(`not a merge patch of a known resource: ${command}`);
  const patch = JSON.parse(m[4]!) as { metadata?: object };
  await cluster.patch({ ...patch, apiVersion: type[0], kind: type[1], metadata: { ...patch.metadata, name: m[2]!, namespace: m[3] } });
}
