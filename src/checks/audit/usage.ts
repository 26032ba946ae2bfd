// How full a claim's volume was, as recorded on it (stsvol.io/observed-usage): by the CLI from the
// kubelets or Prometheus for a live audit, by `stsvol snapshot --with-usage` for an offline one.

import { OBSERVED_USAGE_ANNOTATION } from '../../model/annotations.ts';
import type { PersistentVolumeClaim } from '../../model/types.ts';

export interface ObservedUsage {
  usedBytes: number;
  capacityBytes: number;
  /** RFC3339: when it was read. */
  at: string;
  source: 'kubelet' | 'prometheus';
  /** The window usedBytes is the maximum over ("7d"), or "now" for one reading. */
  window: string;
}

/** Read by overprovisioned and by cost for every claim: parsed once per annotation text. */
const parsed = new WeakMap<PersistentVolumeClaim, { text: string; usage: ObservedUsage | undefined }>();

export function observedUsage(claim: PersistentVolumeClaim): ObservedUsage | undefined {
  const text = claim.metadata.annotations?.[OBSERVED_USAGE_ANNOTATION];
  if (!text) return undefined;
  const known = parsed.get(claim);
  if (known?.text === text) return known.usage;
  const usage = parse(text);
  parsed.set(claim, { text, usage });
  return usage;
}

function parse(text: string): ObservedUsage | undefined {
  try {
    const u = JSON.parse(text) as ObservedUsage;
    return typeof u.usedBytes === 'number' && typeof u.capacityBytes === 'number' && u.capacityBytes > 0 ? u : undefined;
  } catch {
    return undefined;
  }
}

