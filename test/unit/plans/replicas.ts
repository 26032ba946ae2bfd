// A running StatefulSet as plain objects: its pods Ready on nodes, its claims bound to volumes.
import type { KubeObject } from '../../../src/model/types.ts';
import { bind, claim, csiDriver, csiNode, node, pod, statefulSet, storageClass, volume } from '../../fixtures/build.ts';

export function running(ns: string, name: string, o: { replicas?: number; size?: string; cls?: string; provisioner?: string; expand?: boolean; reclaim?: string } = {}): KubeObject[] {
  const replicas = o.replicas ?? 3;
  const cls = o.cls ?? 'fast';
  const provisioner = o.provisioner ?? 'ebs.csi.aws.com';
  const sts = statefulSet(ns, name, { replicas, cls, size: o.size ?? '10Gi' });
  const objects: KubeObject[] = [sts, storageClass(cls, { provisioner, expand: o.expand, reclaim: o.reclaim }), csiDriver(provisioner)];
  for (let i = 0; i < replicas; i++) {
    const nodeName = `n${i}`;
    objects.push(node(nodeName), csiNode(nodeName, [{ name: provisioner }]));
    const [c, v] = bind(claim(ns, `data-${name}-${i}`, { cls, size: o.size ?? '10Gi' }), volume(`pv-${name}-${i}`, { cls, size: o.size ?? '10Gi', driver: provisioner, provisionedBy: provisioner, reclaim: o.reclaim }));
    objects.push(c, v, pod(ns, `${name}-${i}`, { node: nodeName, claims: [c.metadata.name], owner: sts, ready: true }));
  }
  return objects;
}
