// The live Transport: kubeconfig (or in-cluster config) as @kubernetes/client-node reads it, so
// contexts, client certificates, tokens and exec credential plugins work as they do for kubectl.

import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, InputError } from './errors.ts';
import type { Transport } from './live.ts';

export interface KubeTransportOptions {
  kubeconfig?: string;
  context?: string;
  timeoutMs?: number;
}

export interface KubeTransport extends Transport {
  readonly server: string;
  readonly context: string;
}

export function loadKubeConfig(options: KubeTransportOptions): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new InputError(`cannot load kubeconfig${options.kubeconfig ? ` ${options.kubeconfig}` : ''}: ${(err as Error).message}`);
  }
  if (options.context) {
    if (!kc.getContextObject(options.context)) throw new InputError(`context "${options.context}" not found in kubeconfig`);
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) throw new InputError('no cluster in kubeconfig: set KUBECONFIG, --kubeconfig or --context');
  return kc;
}

export function createKubeTransport(options: KubeTransportOptions = {}): KubeTransport {
  const kc = loadKubeConfig(options);
  const server = kc.getCurrentCluster()!.server.replace(/\/$/, '');
  const timeout = options.timeoutMs ?? 60_000;
  return {
    server,
    context: kc.getCurrentContext(),
    async get(path) {
      const url = new URL(server + path);
      const requestOptions: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
      await kc.applyToHTTPSOptions(requestOptions);
      const client = url.protocol === 'http:' ? http : https;
      return new Promise((resolve, reject) => {
        const req = client.request(url, { ...requestOptions, timeout }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeout / 1000}s`)));
        req.on('error', (err) => reject(new ClusterError(`cannot reach ${server}: ${err.message}`)));
        req.end();
      }).then((r) => {
        const result = r as { status: number; body: string };
        if (result.status === 401) throw new ClusterError(`${server}: unauthorized (HTTP 401): check the credentials of context "${kc.getCurrentContext()}"`);
        return result;
      });
    },
  };
}
