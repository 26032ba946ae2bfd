// Nodes where a StatefulSet's pods may run but its CSI driver is not registered (no entry in the
// node's CSINode): a pod placed there waits forever for its volume.

import { refOf } from '../../../model/cluster-model.ts';
import { mayBePlacedOn } from '../../../model/placement.ts';
import type { Node } from '../../../model/types.ts';
import { fieldEvidence } from '../../evidence.ts';
import { driverOf, schedulableNodes, statefulSetsWithStorage, stsRef, templateClasses } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

export const csiNodeMissing: AuditCheck = {
  id: 'csi-node-missing',
  run(scope) {
    const { model } = scope;
    if (!model.sees('CSINode') || !model.sees('Node')) return [];
    // CSI drivers only: a driver known by its CSIDriver object or registered on some node.
    const csi = new Set([...model.csiDrivers.keys(), ...[...model.csiNodes.values()].flatMap((n) => n.spec?.drivers?.map((d) => d.name) ?? [])]);
    const nodes = schedulableNodes(model).filter((n) => model.csiNodes.has(n.metadata.name));
    // Most StatefulSets place their pods alike (no selector, affinity or toleration): each placement
    // and set of drivers is worked out once, not once per StatefulSet over every node.
    const missingFor = new Map<string, { node: Node; driver: string }[]>();
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      const drivers = [...new Set(templateClasses(model, sts).map((t) => driverOf(t.cls)).filter((d): d is string => Boolean(d && csi.has(d))))];
      if (!drivers.length) return undefined;
      scope.judge(stsRef(sts));
      // A node without a CSINode object at all was not registered by its kubelet (or the dump left
      // it out): only what a CSINode says is judged.
      const spec = sts.spec?.template?.spec;
      const key = JSON.stringify([spec?.nodeSelector, spec?.affinity?.nodeAffinity, spec?.tolerations, drivers]);
      let missing = missingFor.get(key);
      if (!missing) {
        missing = nodes.filter((n) => mayBePlacedOn(sts.spec?.template, n)).flatMap((n) => {
          const registered = model.csiNodes.get(n.metadata.name)?.spec?.drivers?.map((d) => d.name) ?? [];
          return drivers.filter((d) => !registered.includes(d)).map((d) => ({ node: n, driver: d }));
        });
        missingFor.set(key, missing);
      }
      if (!missing.length) return undefined;
      return scope.raise({
        object: refOf(sts),
        related: [...new Set(missing.map((m) => m.node))].map(refOf),
        message: `${missing.length === 1 ? 'node' : `${new Set(missing.map((m) => m.node)).size} nodes`} where StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} may run cannot mount its volumes: ${missing.slice(0, 5).map((m) => `${m.node.metadata.name} has no ${m.driver}`).join(', ')}${missing.length > 5 ? ', …' : ''}`,
        evidence: missing.slice(0, 5).map((m) => fieldEvidence(m.node, `CSINode ${m.node.metadata.name} registers ${(model.csiNodes.get(m.node.metadata.name)?.spec?.drivers ?? []).map((d) => d.name).join(', ') || 'no driver'}; not ${m.driver}`)),
        remediation: [{ text: `Run the node plugin of ${[...new Set(missing.map((m) => m.driver))].join(', ')} (its DaemonSet) on those nodes, or keep the StatefulSet's pods off them (nodeSelector, taints).` }],
      });
    });
  },
};
