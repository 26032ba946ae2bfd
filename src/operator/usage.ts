// How full each volume is. The kubelet measures every mounted volume (its Summary API, read through
// the API server's node proxy: one request per node, whatever the number of claims); Prometheus'
// kubelet_volume_stats_* carry the same numbers for clusters that forbid the node proxy. Some
// volumes have no numbers at all, and each such claim is told why rather than silently skipped.

import { isNodeReady, type ClusterModel } from '../model/cluster-model.ts';
import type { Transport } from '../model/live.ts';
import type { PersistentVolumeClaim } from '../model/types.ts';
import type { UsageSample } from '../plans/autoexpand/forecast.ts';

export interface UsageReading {
  /** By "namespace/claim". */
  samples: Map<string, UsageSample>;
  /** Nodes (kubelet source) whose stats could not be read, with why. */
  failedNodes: Map<string, string>;
  /** The source as a whole failed (Prometheus down), with why. */
  failed?: string;
}

export interface UsageSource {
  readonly name: 'kubelet' | 'prometheus';
  read(model: ClusterModel, now: number): Promise<UsageReading>;
}

interface SummaryVolume {
  name?: string;
  pvcRef?: { name?: string; namespace?: string };
  capacityBytes?: number;
  usedBytes?: number;
  availableBytes?: number;
  inodes?: number;
  inodesUsed?: number;
}

/** The claims' volumes in one kubelet Summary (/stats/summary) answer. */
export function samplesFromSummary(body: string, now: number): Map<string, UsageSample> {
  const samples = new Map<string, UsageSample>();
  const summary = JSON.parse(body) as { pods?: { volume?: SummaryVolume[] }[] };
  for (const pod of summary.pods ?? []) {
    for (const v of pod.volume ?? []) {
      if (!v.pvcRef?.name || !v.pvcRef.namespace || v.capacityBytes === undefined || v.usedBytes === undefined) continue;
      samples.set(`${v.pvcRef.namespace}/${v.pvcRef.name}`, { at: now, usedBytes: v.usedBytes, capacityBytes: v.capacityBytes, availableBytes: v.availableBytes, inodes: v.inodes, inodesUsed: v.inodesUsed });
    }
  }
  return samples;
}

/** Ready nodes where a pod mounts a claim: the only kubelets with anything to say (a NotReady one
 *  would only make the read wait for its timeout). */
function nodesMountingClaims(model: ClusterModel): string[] {
  const nodes = new Set<string>();
  for (const pod of model.pods) if (pod.spec?.nodeName && model.claimsOf(pod).length && pod.status?.phase === 'Running') nodes.add(pod.spec.nodeName);
  return [...nodes].filter((n) => {
    const node = model.nodes.get(n);
    return node !== undefined && isNodeReady(node);
  }).sort();
}

const PARALLEL_NODES = 8;

export function kubeletSource(transport: Transport): UsageSource {
  return {
    name: 'kubelet',
    async read(model, now) {
      const reading: UsageReading = { samples: new Map(), failedNodes: new Map() };
      const queue = nodesMountingClaims(model);
      const worker = async () => {
        for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
          try {
            const response = await transport.get(`/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`);
            if (response.status === 403) throw new Error('HTTP 403: this identity may not get nodes/proxy (the kubelet API)');
            if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
            for (const [key, sample] of samplesFromSummary(response.body, now)) reading.samples.set(key, sample);
          } catch (err) {
            reading.failedNodes.set(node, (err as Error).message);
          }
        }
      };
      await Promise.all(Array.from({ length: PARALLEL_NODES }, worker));
      return reading;
    },
  };
}

type PromVector = { metric: Record<string, string>; value: [number, string] }[];

const PROM_SERIES = { usedBytes: 'kubelet_volume_stats_used_bytes', capacityBytes: 'kubelet_volume_stats_capacity_bytes', availableBytes: 'kubelet_volume_stats_available_bytes', inodesUsed: 'kubelet_volume_stats_inodes_used', inodes: 'kubelet_volume_stats_inodes' } as const;

/** Samples from instant queries of the four kubelet_volume_stats series (newest per claim). */
export function samplesFromPrometheus(results: Record<keyof typeof PROM_SERIES, PromVector>, now: number): Map<string, UsageSample> {
  const partial = new Map<string, Partial<UsageSample>>();
  for (const field of Object.keys(PROM_SERIES) as (keyof typeof PROM_SERIES)[]) {
    for (const { metric, value } of results[field]) {
      if (!metric.namespace || !metric.persistentvolumeclaim) continue;
      const key = `${metric.namespace}/${metric.persistentvolumeclaim}`;
      partial.set(key, { ...partial.get(key), [field]: Number(value[1]) });
    }
  }
  const samples = new Map<string, UsageSample>();
  for (const [key, p] of partial) if (p.usedBytes !== undefined && p.capacityBytes !== undefined) samples.set(key, { at: now, usedBytes: p.usedBytes, capacityBytes: p.capacityBytes, availableBytes: p.availableBytes, inodes: p.inodes, inodesUsed: p.inodesUsed });
  return samples;
}

export function prometheusSource(baseUrl: string, fetchFn: typeof fetch = fetch): UsageSource {
  return {
    name: 'prometheus',
    async read(_model, now) {
      try {
        const entries = await Promise.all((Object.entries(PROM_SERIES) as [keyof typeof PROM_SERIES, string][]).map(async ([field, series]) => {
          const response = await fetchFn(`${baseUrl.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(`max by (namespace, persistentvolumeclaim) (${series})`)}`, { signal: AbortSignal.timeout(30_000) });
          const body = (await response.json()) as { status?: string; error?: string; data?: { result?: PromVector } };
          if (!response.ok || body.status !== 'success') throw new Error(`${series}: HTTP ${response.status}${body.error ? `: ${body.error}` : ''}`);
          return [field, body.data?.result ?? []] as const;
        }));
        return { samples: samplesFromPrometheus(Object.fromEntries(entries) as Record<keyof typeof PROM_SERIES, PromVector>, now), failedNodes: new Map() };
      } catch (err) {
        return { samples: new Map(), failedNodes: new Map(), failed: `Prometheus at ${baseUrl}: ${(err as Error).message}` };
      }
    },
  };
}

/** Why a claim has no usage sample: said per claim, since each reason has its own remedy. `idle`
 *  when nothing writes to it (unbound, or no running pod mounts it): nothing can fill it then, so
 *  that is no problem to report, only a fact for the metric. */
export function whyNoStats(model: ClusterModel, claim: PersistentVolumeClaim, reading: UsageReading, source: UsageSource['name']): { reason: string; idle?: boolean } {
  if (reading.failed) return { reason: reading.failed };
  if (claim.spec?.volumeMode === 'Block') return { reason: 'a raw block volume has no file system: the kubelet cannot measure its usage' };
  if (claim.status?.phase !== 'Bound') return { reason: `the claim is ${claim.status?.phase ?? 'not bound'}`, idle: true };
  const running = model.podsUsing(claim).filter((p) => p.status?.phase === 'Running' && p.spec?.nodeName);
  if (!running.length) return { reason: 'no running pod mounts it: the kubelet measures mounted volumes only', idle: true };
  const failed = running.map((p) => reading.failedNodes.get(p.spec!.nodeName!)).find(Boolean);
  if (failed) return { reason: `the kubelet stats of node ${running[0]!.spec!.nodeName} could not be read (${failed})` };
  return {
    reason: source === 'kubelet'
      ? 'its kubelet reports no stats for it: the CSI driver may not implement NodeGetVolumeStats'
      : 'Prometheus has no kubelet_volume_stats series for it (is the kubelet scraped? does the driver report volume stats?)',
  };
}
