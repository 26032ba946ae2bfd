// Volumes mostly empty: billed for their size, not for what is written. Usage comes from the
// claims' stsvol.io/observed-usage (the CLI writes it live from the kubelets or Prometheus, and
// `stsvol snapshot --with-usage` records it for offline analysis).

import { refOf } from '../../../model/cluster-model.ts';
import { fieldEvidence } from '../../evidence.ts';
import { claimsOfStatefulSet, statefulSetsWithStorage, stsRef } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';
import { observedUsage } from '../usage.ts';

const GIB = 2 ** 30;
const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

export const overprovisioned: AuditCheck = {
  id: 'overprovisioned',
  run(scope) {
    const { model, options } = scope;
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      const known = claimsOfStatefulSet(model, sts).map((claim) => ({ claim, usage: observedUsage(claim) })).filter((c) => c.usage);
      if (!known.length) return undefined;
      scope.judge(stsRef(sts));
      if (!known.every((c) => c.usage!.usedBytes < options.overprovisionedBelow * c.usage!.capacityBytes)) return undefined;
      const used = known.reduce((s, c) => s + c.usage!.usedBytes, 0);
      const capacity = known.reduce((s, c) => s + c.usage!.capacityBytes, 0);
      const window = known[0]!.usage!.window === 'now' ? `when read (${known[0]!.usage!.source})` : `at most over ${known[0]!.usage!.window} (${known[0]!.usage!.source})`;
      return scope.raise({
        object: refOf(sts),
        related: known.map((c) => refOf(c.claim)),
        message: `StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} uses ${gib(used)} of ${gib(capacity)} (${Math.round((100 * used) / capacity)}%) ${window}: every claim below ${Math.round(options.overprovisionedBelow * 100)}%`,
        evidence: known.slice(0, 5).map((c) => fieldEvidence(c.claim, `used ${gib(c.usage!.usedBytes)} of ${gib(c.usage!.capacityBytes)} at ${c.usage!.at}`, c.usage!.at)),
        remediation: [{ text: 'Give new replicas a smaller claim template and let them grow on demand (stsvol operator --auto-expand); an existing volume cannot shrink: a smaller one means a copy, one replica at a time.' }],
      });
    });
  },
};
