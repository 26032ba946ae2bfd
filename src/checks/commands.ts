// kubectl command lines for remedies, with the real names. Kubernetes names are DNS labels or
// subdomains, so they need no shell quoting; anything else is quoted anyway.

function q(word: string): string {
  return /^[A-Za-z0-9._:/=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function ns(namespace: string | undefined): string {
  return namespace ? ` -n ${q(namespace)}` : '';
}

export const kubectl = {
  get: (resource: string, name: string, namespace?: string, output = 'yaml') => `kubectl get ${resource} ${q(name)}${ns(namespace)} -o ${output}`,
  describe: (resource: string, name: string, namespace?: string) => `kubectl describe ${resource} ${q(name)}${ns(namespace)}`,
  delete: (resource: string, name: string, namespace?: string, extra = '') => `kubectl delete ${resource} ${q(name)}${ns(namespace)}${extra}`,
  forceDeletePod: (name: string, namespace?: string) => `kubectl delete pod ${q(name)}${ns(namespace)} --force --grace-period=0`,
  patch: (resource: string, name: string, namespace: string | undefined, patch: object, type = 'merge') =>
    `kubectl patch ${resource} ${q(name)}${ns(namespace)} --type=${type} -p ${q(JSON.stringify(patch))}`,
  scale: (sts: string, namespace: string | undefined, replicas: number) => `kubectl scale statefulset ${q(sts)}${ns(namespace)} --replicas=${replicas}`,
  taintOutOfService: (node: string) => `kubectl taint nodes ${q(node)} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`,
  untaintOutOfService: (node: string) => `kubectl taint nodes ${q(node)} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute-`,
  events: (kind: string, name: string, namespace?: string) =>
    `kubectl get events${ns(namespace)} --field-selector involvedObject.kind=${kind},involvedObject.name=${q(name)} --sort-by=.lastTimestamp`,
};
