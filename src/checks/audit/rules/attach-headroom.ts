// Attach headroom (N+1): if the busiest node of a CSI driver with attach limits is lost, can the
// other Ready nodes attach what it held? Otherwise its replicas stay Pending on "max volume count".

import type { ClusterModel } from '../../../model/cluster-model.ts';
import { count } from '../../../model/words.ts';
import { fieldEvidence } from '../../evidence.ts';
import { CLUSTER } from '../../workload-of.ts';
import { schedulableNodes } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

interface NodeSlots {
  node: string;
  limit: number;
  used: number;
}

/** Per driver with a limit: each schedulable Ready node's allocatable count and its attachments. */
function slotsByDriver(model: ClusterModel): Map<string, NodeSlots[]> {
  const byDriver = new Map<string, NodeSlots[]>();
  for (const node of schedulableNodes(model)) {
    for (const d of model.csiNodes.get(node.metadata.name)?.spec?.drivers ?? []) {
      if (d.allocatable?.count === undefined) continue;
      const used = model.attachmentsOnNode(node.metadata.name).filter((va) => va.spec.attacher === d.name).length;
      byDriver.set(d.name, [...(byDriver.get(d.name) ?? []), { node: node.metadata.name, limit: d.allocatable.count, used }]);
    }
  }
  return byDriver;
}

export const attachHeadroom: AuditCheck = {
  id: 'attach-headroom',
  run(scope) {
    const { model } = scope;
    if (!model.sees('CSINode') || !model.sees('VolumeAttachment')) return [];
    const byDriver = slotsByDriver(model);
    if (!byDriver.size) return [];
    scope.judge(CLUSTER);
    return scope.each(byDriver, ([driver, nodes]) => {
      const busiest = [...nodes].sort((a, b) => b.used - a.used)[0]!;
      if (busiest.used === 0) return undefined;
      const free = nodes.filter((n) => n !== busiest).reduce((sum, n) => sum + Math.max(0, n.limit - n.used), 0);
      if (free >= busiest.used) return undefined;
      return scope.raise({
        object: { kind: 'CSIDriver', name: driver },
        related: nodes.map((n) => ({ kind: 'Node', name: n.node })),
        message: `if node ${busiest.node} is lost, its ${count(busiest.used, 'volume')} of ${driver} need as many attach slots and the other Ready nodes have ${free}: ${busiest.used - free} would stay unattached, their pods Pending on "max volume count"`,
        evidence: nodes.map((n) => fieldEvidence({ kind: 'CSINode', metadata: { name: n.node } }, `${driver}: ${n.used} attached of allocatable.count ${n.limit}`)),
        remediation: [{ text: `Add nodes (or node types with a higher attach limit for ${driver}) until the others can take the busiest node's ${count(busiest.used, 'volume')}.` }],
      });
    }, ([driver]) => ({ kind: 'CSIDriver', name: driver }));
  },
};
