// Certificates and keys of a throw-away control plane, made with openssl: a CA, the API server's
// serving certificate for 127.0.0.1, client certificates for each component (their RBAC identities
// are the standard ones), and the service-account signing key.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface Pki {
  ca: string;
  serverCert: string;
  serverKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  clients: Record<ClientName, { cert: string; key: string }>;
}

export type ClientName = 'admin' | 'controller-manager' | 'scheduler';

// CN is the user, O the groups, as kube-apiserver reads client certificates.
const SUBJECTS: Record<ClientName, string> = {
  admin: '/O=system:masters/CN=stsvol-test-admin',
  'controller-manager': '/CN=system:kube-controller-manager',
  scheduler: '/CN=system:kube-scheduler',
};

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function makePki(dir: string): Pki {
  openssl(['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=stsvol-test-ca'], dir);
  const sign = (name: string, subject: string, extra: string[] = []) =>
    openssl(['req', '-x509', '-CA', 'ca.crt', '-CAkey', 'ca.key', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', subject, ...extra], dir);
  sign('apiserver', '/CN=kube-apiserver', ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc']);
  const clients = {} as Pki['clients'];
  for (const [name, subject] of Object.entries(SUBJECTS) as [ClientName, string][]) {
    sign(name, subject, ['-addext', 'extendedKeyUsage=clientAuth']);
    clients[name] = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  }
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  return {
    ca: join(dir, 'ca.crt'), serverCert: join(dir, 'apiserver.crt'), serverKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'), serviceAccountPub: join(dir, 'sa.pub'), clients,
  };
}

export function kubeconfig(server: string, pki: Pki, client: ClientName): string {
  const { cert, key } = pki.clients[client];
  return [
    'apiVersion: v1', 'kind: Config', 'current-context: test',
    'clusters:', `- name: test`, `  cluster: {server: "${server}", certificate-authority: "${pki.ca}"}`,
    'users:', `- name: ${client}`, `  user: {client-certificate: "${cert}", client-key: "${key}"}`,
    'contexts:', `- name: test`, `  context: {cluster: test, user: ${client}}`, '',
  ].join('\n');
}
