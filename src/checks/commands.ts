// kubectl command lines for remedies, with the real names. Names come from the cluster or from a
// dump, so they are treated as hostile: every word is quoted for the shell unless it is plainly
// safe, and no name can ever be read as a flag. The API only admits DNS names, which never start
// with "-"; anything else is written as TYPE/NAME (or --namespace=NAME), one argument kubectl
// cannot mistake for an option.

const SAFE_WORD = /^[A-Za-z0-9._:/=@%+,-]+$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** One shell word: unchanged when plainly safe, else single-quoted. Quoting keeps the shell from
 *  splitting or expanding it; it cannot stop kubectl from reading a leading "-" as a flag, which is
 *  why names go through target() and ns(). */
export function shellWord(word: string): string {
  return SAFE_WORD.test(word) && !word.startsWith('-') ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** "pod web-0", or 'pod/-weird' when the name could pass for a flag. */
function target(resource: string, name: string): string {
  return DNS_NAME.test(name) ? `${resource} ${name}` : shellWord(`${resource}/${name}`);
}

function ns(namespace: string | undefined): string {
  if (!namespace) return '';
  return DNS_NAME.test(namespace) ? ` -n ${namespace}` : ` ${shellWord(`--namespace=${namespace}`)}`;
}

/** A file in the current directory named after `name`, safe as an argument: ./web.yaml. A name
 *  the API would not admit (a hand-edited dump) is reduced to letters, digits, "-", "_" and ".", so
 *  it can never leave the directory ("../", "/etc/x") or name a hidden or special file. */
export function localFile(name: string, extension: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[.-]+/, '').slice(0, 200) || 'object';
  return shellWord(`./${safe}${extension}`);
}

export const kubectl = {
  get: (resource: string, name: string, namespace?: string, output = 'yaml') => `kubectl get ${target(resource, name)}${ns(namespace)} -o ${output}`,
  describe: (resource: string, name: string, namespace?: string) => `kubectl describe ${target(resource, name)}${ns(namespace)}`,
  delete: (resource: string, name: string, namespace?: string, extra = '') => `kubectl delete ${target(resource, name)}${ns(namespace)}${extra}`,
  forceDeletePod: (name: string, namespace?: string) => `kubectl delete ${target('pod', name)}${ns(namespace)} --force --grace-period=0`,
  patch: (resource: string, name: string, namespace: string | undefined, patch: object, type = 'merge') =>
    `kubectl patch ${target(resource, name)}${ns(namespace)} --type=${type} -p ${shellWord(JSON.stringify(patch))}`,
  taintOutOfService: (node: string) => `kubectl taint ${target('nodes', node)} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`,
  untaintOutOfService: (node: string) => `kubectl taint ${target('nodes', node)} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute-`,
  events: (kind: string, name: string, namespace?: string) =>
    `kubectl get events${ns(namespace)} --field-selector ${shellWord(`involvedObject.kind=${kind},involvedObject.name=${name}`)} --sort-by=.lastTimestamp`,
  /** Waits until a pod the StatefulSet re-creates exists again and is Ready. */
  waitReady: (pod: string, namespace?: string, timeout = '10m') =>
    `kubectl wait --for=create ${shellWord(`pod/${pod}`)}${ns(namespace)} --timeout=${timeout} && kubectl wait --for=condition=Ready ${shellWord(`pod/${pod}`)}${ns(namespace)} --timeout=${timeout}`,
  apply: (file: string) => `kubectl apply -f ${file}`,
  saveTo: (resource: string, name: string, namespace: string | undefined, file: string) => `kubectl get ${target(resource, name)}${ns(namespace)} -o yaml > ${file}`,
};

/** The object argument of an stsvol command: 'pod/web-0 -n db'. */
export function stsvolTarget(resource: string, name: string, namespace?: string): string {
  return `${shellWord(`${resource}/${name}`)}${ns(namespace)}`;
}

/** A fixed-string grep for any of these whole names in another command's output. */
export function grepFor(...words: string[]): string {
  return `grep -F ${[...new Set(words)].map((w) => `-e ${shellWord(w)}`).join(' ')}`;
}

/** The leader Leases a provisioner holds while it runs, by its whole name: CSI sidecars name theirs
 *  after the driver with every other character a dash (csi-lib-utils leaderelection), external
 *  provisioners after the name with "/" a dash (sig-storage-lib-external-provisioner). */
export function provisionerLeases(provisioner: string): string {
  return `kubectl get leases -A -o custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,HOLDER:.spec.holderIdentity | ${grepFor(provisioner.replace(/[^a-zA-Z0-9-]/g, '-'), provisioner.replaceAll('/', '-'))}`;
}
