// Reading how full each claim's volume is, for audit (live) and `stsvol snapshot --with-usage`, and
// recording it on the claims (stsvol.io/observed-usage) where the audit checks and the cost read it:
// from the kubelets through the API server's node proxy (one reading, now), or from Prometheus (the
// maximum over a window, so a volume that filled last Tuesday is not called empty today).

import type { ObservedUsage } from '../checks/audit/usage.ts';
import { OBSERVED_USAGE_ANNOTATION } from '../model/annotations.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import type { Transport } from '../model/live.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { toRfc3339 } from '../model/time.ts';
import { kubeletSource } from '../operator/usage.ts';

export interface UsageRead {
  /** By "namespace/claim". */
  usage: Map<string, ObservedUsage>;
  /** Why some or all of it could not be read (nodes whose kubelet did not answer, Prometheus down). */
  problems: string[];
}

type PromVector = { metric: Record<string, string>; value: [number, string] }[];

async function promQuery(base: string, query: string, fetchFn: typeof fetch): Promise<PromVector> {
  const response = await fetchFn(`${base.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(30_000) });
  const body = (await response.json()) as { status?: string; error?: string; data?: { result?: PromVector } };
  if (!response.ok || body.status !== 'success') throw new Error(`HTTP ${response.status}${body.error ? `: ${body.error}` : ''}`);
  return body.data?.result ?? [];
}

/** The most each claim used over `window`, and its capacity now. */
export async function usageFromPrometheus(base: string, window: string, now: number, fetchFn: typeof fetch = fetch): Promise<UsageRead> {
  const by = 'max by (namespace, persistentvolumeclaim)';
  try {
    const [used, capacity] = await Promise.all([
      promQuery(base, `${by} (max_over_time(kubelet_volume_stats_used_bytes[${window}]))`, fetchFn),
      promQuery(base, `${by} (kubelet_volume_stats_capacity_bytes)`, fetchFn),
    ]);
    const capacityOf = new Map(capacity.map((r) => [`${r.metric.namespace}/${r.metric.persistentvolumeclaim}`, Number(r.value[1])]));
    const usage = new Map<string, ObservedUsage>();
    for (const r of used) {
      const key = `${r.metric.namespace}/${r.metric.persistentvolumeclaim}`;
      const cap = capacityOf.get(key);
      if (!r.metric.namespace || !r.metric.persistentvolumeclaim || cap === undefined) continue;
      usage.set(key, { usedBytes: Number(r.value[1]), capacityBytes: cap, at: toRfc3339(now), source: 'prometheus', window });
    }
    return { usage, problems: [] };
  } catch (err) {
    return { usage: new Map(), problems: [`Prometheus at ${base}: ${(err as Error).message}`] };
  }
}

export async function usageFromKubelets(model: ClusterModel, transport: Transport, now: number): Promise<UsageRead> {
  const reading = await kubeletSource(transport).read(model, now);
  const usage = new Map<string, ObservedUsage>();
  for (const [key, s] of reading.samples) usage.set(key, { usedBytes: s.usedBytes, capacityBytes: s.capacityBytes, at: toRfc3339(now), source: 'kubelet', window: 'now' });
  const problems = [...reading.failedNodes].map(([node, why]) => `kubelet of ${node}: ${why}`);
  return { usage, problems };
}

/** Writes each reading on its claim; returns how many claims got one. */
export function recordUsage(snapshot: Snapshot, usage: Map<string, ObservedUsage>): number {
  let recorded = 0;
  for (const claim of snapshot.claims) {
    const u = usage.get(`${claim.metadata.namespace}/${claim.metadata.name}`);
    if (!u) continue;
    claim.metadata.annotations = { ...claim.metadata.annotations, [OBSERVED_USAGE_ANNOTATION]: JSON.stringify(u) };
    recorded++;
  }
  return recorded;
}
