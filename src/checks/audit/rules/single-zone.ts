// Every volume of a replicated StatefulSet pinned to one zone while nodes span several: a zone
// outage takes every replica down, and zonal disks cannot follow their pods.

import { refOf } from '../../../model/cluster-model.ts';
import { fieldEvidence } from '../../evidence.ts';
import { claimsOfStatefulSet, hasReplicas, schedulableNodes, statefulSetsWithStorage, stsRef, volumeZones, zonesOf } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const singleZone: AuditCheck = {
  id: 'single-zone',
  run(scope) {
    const { model } = scope;
    const zones = zonesOf(schedulableNodes(model));
    if (zones.size < 2) return [];
    return scope.each(statefulSetsWithStorage(model).filter((s) => hasReplicas(s, 2)), (sts) => {
      const volumes = claimsOfStatefulSet(model, sts).map((c) => model.volumeOf(c)).filter((pv) => pv !== undefined);
      const pinned = volumes.map((pv) => ({ pv, zones: volumeZones(pv) })).filter((v) => v.zones.length === 1);
      if (pinned.length < 2 || pinned.length !== volumes.length) return undefined; // unpinned volumes: not zonal
      scope.judge(stsRef(sts));
      const used = new Set(pinned.map((v) => v.zones[0]!));
      if (used.size > 1) return undefined;
      const zone = [...used][0]!;
      return scope.raise({
        object: refOf(sts),
        related: pinned.map((v) => refOf(v.pv)),
        message: `all ${pinned.length} volumes of StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} are in zone ${zone} while its nodes span ${[...zones].sort().join(', ')}: an outage of ${zone} takes every replica down`,
        evidence: pinned.slice(0, 5).map((v) => fieldEvidence(v.pv, `nodeAffinity: zone ${zone}`)),
        remediation: [{ text: 'For new replicas: a topologySpreadConstraint on topology.kubernetes.io/zone (whenUnsatisfiable: DoNotSchedule) with a WaitForFirstConsumer class. Existing volumes move to another zone only through a backup and a restore, one replica at a time.' }],
      });
    });
  },
};
