// Auto-expansion (seed 001, case 4), the acting half: keeps each opted-in claim's usage history,
// asks plans/autoexpand what to do, and grows the claim. The size and the time of the expansion go
// to the API in one patch carrying the claim's resourceVersion: if another replica (a leader that
// lost its Lease mid-way) or a person changed the claim since our model saw it, the API refuses and
// we decide again on the next evaluation. That is what keeps a leader change from expanding twice.

import { ApiError } from '../model/kube-api.ts';
import { EXPANDED_FROM_ANNOTATION, LAST_EXPANDED_ANNOTATION } from '../model/annotations.ts';
import type { ClusterModel } from '../model/cluster-model.ts';
import { policyOf } from '../model/expand-policy.ts';
import { formatBytes } from '../model/quantity.ts';
import { toRfc3339 } from '../model/time.ts';
import type { PersistentVolumeClaim } from '../model/types.ts';
import { decideExpansion, type ExpansionDecision } from '../plans/autoexpand/decide.ts';
import { remember, type UsageSample } from '../plans/autoexpand/forecast.ts';
import type { ActingDeps } from './acting.ts';
import { whyNoStats, type UsageReading, type UsageSource } from './usage.ts';

export interface ExpanderDeps extends ActingDeps {
  source: UsageSource;
}

export interface ClaimVerdict {
  claim: PersistentVolumeClaim;
  decision?: ExpansionDecision;
  /** The policy annotations cannot be read, or the usage cannot. */
  problem?: string;
}

export class AutoExpander {
  private readonly histories = new Map<string, UsageSample[]>();
  /** The refusal standing on each claim, so the failure counter counts refusals, not evaluations. */
  private readonly refused = new Map<string, string>();
  private lastReading: UsageReading = { samples: new Map(), failedNodes: new Map() };
  private readonly d: ExpanderDeps;

  constructor(deps: ExpanderDeps) {
    this.d = deps;
  }

  /** The claim's recent samples ("namespace/claim"), oldest first: what the dashboard draws. */
  historyOf(key: string): readonly UsageSample[] {
    return this.histories.get(key) ?? [];
  }

  /** Why the last reading had no sample of the claim. */
  whyNoSample(model: ClusterModel, claim: PersistentVolumeClaim): string {
    return whyNoStats(model, claim, this.lastReading, this.d.source.name).reason;
  }

  /** Reads usage (every replica does: all serve the usage metrics, and a new leader starts with a
   *  history instead of an empty one). */
  async sample(model: ClusterModel, now: number): Promise<void> {
    const reading = await this.d.source.read(model, now);
    this.lastReading = reading;
    const m = this.d.metrics;
    for (const [key, sample] of reading.samples) {
      const [namespace, persistentvolumeclaim] = key.split('/') as [string, string];
      this.histories.set(key, remember(this.histories.get(key) ?? [], sample));
      m.usedBytes.set({ namespace, persistentvolumeclaim }, sample.usedBytes);
      m.capacityBytes.set({ namespace, persistentvolumeclaim }, sample.capacityBytes);
      if (sample.inodes !== undefined) m.inodes.set({ namespace, persistentvolumeclaim }, sample.inodes);
      if (sample.inodesUsed !== undefined) m.inodesUsed.set({ namespace, persistentvolumeclaim }, sample.inodesUsed);
    }
    for (const key of [...this.histories.keys()]) {
      const [namespace, name] = key.split('/') as [string, string];
      if (!model.claims.get(namespace, name)) this.forget(key);
    }
  }

  private forget(key: string): void {
    const [namespace, persistentvolumeclaim] = key.split('/') as [string, string];
    this.histories.delete(key);
    this.refused.delete(key);
    for (const g of [this.d.metrics.usedBytes, this.d.metrics.capacityBytes, this.d.metrics.inodes, this.d.metrics.inodesUsed, this.d.metrics.fullIn]) g.remove({ namespace, persistentvolumeclaim });
  }

  /** Judges every opted-in claim; the leader grows those that need it. */
  async reconcile(model: ClusterModel): Promise<ClaimVerdict[]> {
    const verdicts: ClaimVerdict[] = [];
    this.d.metrics.statsUnavailable.reset();
    for (const claim of model.snapshot.claims) {
      const owner = model.statefulSetOfClaim(claim)?.sts;
      const policy = policyOf(claim, owner);
      if (!policy) continue;
      if (!policy.policy) {
        verdicts.push({ claim, problem: policy.problem });
        continue;
      }
      const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
      const history = this.histories.get(key) ?? [];
      const labels = { namespace: claim.metadata.namespace ?? '', persistentvolumeclaim: claim.metadata.name };
      if (!this.lastReading.samples.has(key)) {
        const why = whyNoStats(model, claim, this.lastReading, this.d.source.name);
        this.d.metrics.statsUnavailable.set({ ...labels, reason: why.reason }, 1);
        if (!why.idle) verdicts.push({ claim, problem: `its usage cannot be read: ${why.reason}` });
        // Never decide on the history alone: it may describe the volume before its last resize.
        continue;
      }
      const decision = decideExpansion(model, claim, policy.policy, history);
      if (decision.trend.fullInMs !== undefined) this.d.metrics.fullIn.set(labels, decision.trend.fullInMs / 1000);
      else this.d.metrics.fullIn.remove(labels);
      verdicts.push({ claim, decision });
      this.countRefusal(key, labels.namespace, decision);
      if (decision.action === 'expand' && this.d.isLeader()) await this.expand(model, claim, decision);
    }
    return verdicts;
  }

  private countRefusal(key: string, namespace: string, decision: ExpansionDecision): void {
    if (decision.action !== 'refuse') {
      this.refused.delete(key);
      return;
    }
    if (this.refused.get(key) === decision.code) return;
    this.refused.set(key, decision.code);
    this.d.metrics.expansionFailures.inc({ namespace, reason: decision.code });
  }

  private async expand(model: ClusterModel, claim: PersistentVolumeClaim, decision: Extract<ExpansionDecision, { action: 'expand' }>): Promise<void> {
    const namespace = claim.metadata.namespace ?? '';
    const name = claim.metadata.name;
    const object = { kind: 'PersistentVolumeClaim', namespace, name, uid: claim.metadata.uid, apiVersion: 'v1' };
    const patch = {
      metadata: { resourceVersion: claim.metadata.resourceVersion, annotations: { [LAST_EXPANDED_ANNOTATION]: toRfc3339(model.now), [EXPANDED_FROM_ANNOTATION]: String(decision.fileSystemBytes) } },
      spec: { resources: { requests: { storage: decision.to } } },
    };
    try {
      await this.d.api.mergePatch('PersistentVolumeClaim', namespace, name, patch);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        this.d.log('info', 'claim changed since it was judged; judging again', { claim: `${namespace}/${name}` });
        return;
      }
      this.d.metrics.expansionFailures.inc({ namespace, reason: 'api-error' });
      this.d.log('error', 'expansion failed', { claim: `${namespace}/${name}`, to: decision.to, error: (err as Error).message });
      await this.d.record({ object, type: 'Warning', reason: 'AutoExpandFailed', message: `growing to ${decision.to} failed: ${(err as Error).message}` });
      return;
    }
    this.d.metrics.expansions.inc({ namespace });
    this.d.log('info', 'claim expanded', { claim: `${namespace}/${name}`, from: formatBytes(decision.fromBytes), to: decision.to, why: decision.reason });
    await this.d.record({ object, type: 'Normal', reason: 'AutoExpanded', message: `grown from ${formatBytes(decision.fromBytes)} to ${decision.to}: ${decision.reason}` });
  }
}
