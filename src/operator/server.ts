// /metrics, /healthz and /readyz on every replica, leader or not: a follower's metrics and health
// are as real as the leader's, and a Service over all replicas must not flap on leader changes.

import http from 'node:http';
import type { Registry } from 'prom-client';
import { InputError } from '../model/errors.ts';

export interface Health {
  /** The process is alive and its loops turn. */
  live(): boolean;
  /** Every watch has listed once: the model is complete. */
  ready(): boolean;
}

export function startServer(host: string, port: number, registry: Registry, health: Health): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      registry.metrics().then((body) => {
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(body);
      }, (err: unknown) => {
        res.writeHead(500).end(String(err));
      });
      return;
    }
    const check = path === '/healthz' ? health.live() : path === '/readyz' ? health.ready() : undefined;
    if (check === undefined) return void res.writeHead(404).end('not found\n');
    res.writeHead(check ? 200 : 503, { 'Content-Type': 'text/plain' }).end(check ? 'ok\n' : 'not ready\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      // Where to serve is the user's choice: a port taken or an address this machine lacks is a
      // wrong --listen, said in one line, not a crash.
      if (err.code === 'EADDRINUSE') reject(new InputError(`--listen ${where}: the address is in use (another process listens there)`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES') reject(new InputError(`--listen ${where}: cannot listen there (${err.code})`));
      else reject(err);
    });
    server.listen(port, host, () => resolve(server));
  });
}
