// Nothing watches volume usage: no alert rule on the kubelet's volume stats (or stsvol's), no stsvol
// operator, and no auto-expansion for the StatefulSet's claims. A full volume then stops a database
// mid-write with nobody warned (seed 001, case 4).

import { AUTO_EXPAND_ANNOTATION } from '../../../model/annotations.ts';
import { refOf, type ClusterModel } from '../../../model/cluster-model.ts';
import { fieldEvidence } from '../../evidence.ts';
import { claimsOfStatefulSet, statefulSetsWithStorage, stsRef } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

const USAGE_SERIES = /kubelet_volume_stats_|stsvol_volume_/;

/** What watches usage cluster-wide: a PrometheusRule on the usage series, a running stsvol operator. */
function watchers(model: ClusterModel): string[] {
  const found: string[] = [];
  for (const rule of model.snapshot.prometheusRules) {
    const exprs = (rule.spec?.groups ?? []).flatMap((g) => g.rules ?? []).filter((r) => r.alert && USAGE_SERIES.test(String(r.expr ?? '')));
    if (exprs.length) found.push(`PrometheusRule ${rule.metadata.namespace}/${rule.metadata.name} (${exprs.map((r) => r.alert).join(', ')})`);
  }
  for (const d of model.snapshot.deployments) {
    const l = d.metadata.labels;
    if (l?.['app.kubernetes.io/name'] === 'stsvol' && l['app.kubernetes.io/component'] === 'operator' && (d.spec?.replicas ?? 1) > 0) found.push(`the stsvol operator (deployment ${d.metadata.namespace}/${d.metadata.name})`);
  }
  return found;
}

export const usageUnmonitored: AuditCheck = {
  id: 'usage-unmonitored',
  run(scope) {
    const { model } = scope;
    const watching = watchers(model);
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      scope.judge(stsRef(sts));
      if (watching.length) return undefined;
      const expanding = sts.metadata.annotations?.[AUTO_EXPAND_ANNOTATION] === 'true' || claimsOfStatefulSet(model, sts).some((c) => c.metadata.annotations?.[AUTO_EXPAND_ANNOTATION] === 'true');
      if (expanding) return undefined;
      const unseen = ['PrometheusRule', 'Deployment'].filter((k) => !model.sees(k));
      return scope.raise({
        object: refOf(sts),
        message: `nothing watches the volume usage of StatefulSet ${sts.metadata.namespace}/${sts.metadata.name}: no alert rule on kubelet_volume_stats_*, no stsvol operator, no auto-expansion${unseen.length ? ` (as far as this analysis sees: ${unseen.join(', ')} could not be read; rules outside PrometheusRules are not seen either)` : ' (rules outside PrometheusRules, in a plain Prometheus configuration, are not seen)'}`,
        evidence: [fieldEvidence(sts, `no ${AUTO_EXPAND_ANNOTATION} on it or its claims; ${model.snapshot.prometheusRules.length} PrometheusRules, none on volume usage`)],
        remediation: [
          { text: 'Alert on filling volumes (kubernetes-mixin thresholds):', command: 'stsvol alerts | kubectl apply -f -' },
          { text: 'Or let the stsvol operator grow the claims that may grow: annotate them stsvol.io/auto-expand: "true" with a maximum size (README, Auto-expansion).' },
        ],
      });
    });
  },
};
