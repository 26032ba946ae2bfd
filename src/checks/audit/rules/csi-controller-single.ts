// The CSI controller (the workload running csi-provisioner, -attacher, -resizer) without
// redundancy: fewer than 2 replicas, or a sidecar without leader election. While it is down nothing
// is provisioned, attached, detached or grown.

import { refOf, type ClusterModel } from '../../../model/cluster-model.ts';
import type { Deployment, StatefulSet } from '../../../model/types.ts';
import { fieldEvidence } from '../../evidence.ts';
import { perModel } from '../../per-model.ts';
import { driverOf, statefulSetsWithStorage, stsRef, templateClasses } from '../facts.ts';
import type { AuditCheck } from '../scope.ts';

const SIDECAR = /(^|\/)csi-(provisioner|attacher|resizer)(:|@|$)/;

type Controller = Deployment | StatefulSet;

function sidecarsOf(w: Controller) {
  return (w.spec?.template?.spec?.containers ?? []).filter((c) => SIDECAR.test(c.image ?? ''));
}

/** Every workload that runs CSI sidecars. */
const controllers = perModel((model): Controller[] => [...model.snapshot.deployments, ...model.statefulSets.values()].filter((w) => sidecarsOf(w).length > 0));

/** The controller workload of a driver: the one running CSI sidecars, told apart by a name that
 *  carries the driver's first word (ebs-csi-controller for ebs.csi.aws.com) when there are several. */
function controllerOf(model: ClusterModel, driver: string): Controller | undefined {
  const all = controllers(model);
  if (all.length === 1) return all[0];
  const word = driver.split(/[./]/)[0]!.toLowerCase();
  const named = all.filter((w) => w.metadata.name.toLowerCase().includes(word));
  return named.length === 1 ? named[0] : undefined;
}

function leaderElects(args: readonly string[] | undefined): boolean {
  return (args ?? []).some((a) => a === '--leader-election' || a === '--leader-election=true');
}

export const csiControllerSingle: AuditCheck = {
  id: 'csi-controller-single',
  run(scope) {
    const { model } = scope;
    return scope.each(statefulSetsWithStorage(model), (sts) => {
      const drivers = [...new Set(templateClasses(model, sts).map((t) => driverOf(t.cls)).filter((d): d is string => Boolean(d)))];
      const controllers = drivers.map((d) => ({ driver: d, controller: controllerOf(model, d) })).filter((c) => c.controller);
      if (!controllers.length) return undefined; // a managed driver's controller is not visible: not judged
      scope.judge(stsRef(sts));
      const weak = controllers.map(({ driver, controller }) => {
        const replicas = controller!.spec?.replicas ?? 1;
        const single = sidecarsOf(controller!).filter((c) => !leaderElects(c.args)).map((c) => c.name ?? c.image ?? '?');
        return { driver, controller: controller!, replicas, single, weak: replicas < 2 || single.length > 0 };
      }).filter((c) => c.weak);
      if (!weak.length) return undefined;
      return scope.raise({
        object: refOf(sts),
        related: weak.map((c) => refOf(c.controller)),
        message: `the CSI controller of ${weak.map((c) => `${c.driver} (${c.controller.kind.toLowerCase()} ${c.controller.metadata.namespace}/${c.controller.metadata.name}: ${[c.replicas < 2 ? `${c.replicas} replica` : '', c.single.length ? `${c.single.join(', ')} without --leader-election` : ''].filter(Boolean).join(', ')})`).join('; ')} that StatefulSet ${sts.metadata.namespace}/${sts.metadata.name} depends on has no standby: while it is down no volume is created, attached or grown`,
        evidence: weak.map((c) => fieldEvidence(c.controller, `spec.replicas=${c.replicas}; sidecars: ${sidecarsOf(c.controller).map((s) => `${s.name ?? s.image} ${leaderElects(s.args) ? 'with' : 'without'} --leader-election`).join(', ')}`)),
        remediation: [{ text: 'Run the controller with 2 replicas and --leader-election=true on every sidecar (most driver charts: controller.replicaCount: 2).' }],
      });
    });
  },
};
