// The dashboard's HTTP server: the page, its bundle, and three read-only JSON endpoints. Nothing here
// writes to the cluster, and nothing but GET and HEAD is answered.
//
// What it defends against: cluster data is attacker-controlled (names, labels, annotations, Event
// messages), so the page only ever sets text (web/), and a strict Content-Security-Policy forbids
// inline script and every origin but this one; another site in the user's browser must not read
// the cluster (DNS rebinding: the Host header must name this server when it listens on loopback);
// anyone who can reach a non-loopback address must present the bearer token.

import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../model/errors.ts';
import type { WebAssets } from './assets.ts';
import type { DashboardView } from './view.ts';

export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A comment line every so often keeps proxies (kubectl port-forward included) from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/** What the server shows: the current view, and news of a newer one. */
export interface ViewSource {
  /** False while the live model is still being listed: the API answers 503 meanwhile. */
  ready?(): boolean;
  current(): DashboardView;
  /** Called on every new view; returns the unsubscribe function. */
  subscribe(listener: (version: number) => void): () => void;
}

export interface ServerOptions {
  host: string;
  port: number;
  /** Required on every /api request when set (always set for a non-loopback address). */
  token?: string;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startDashboardServer(source: ViewSource, assets: WebAssets, o: ServerOptions): Promise<Server> {
  if (!isLoopback(o.host) && !o.token) throw new InputError(`--address ${o.host}: a non-loopback address needs a token (--token, or one is generated)`);
  const server = createServer((req, res) => {
    try {
      handle(req, res, source, assets, o);
    } catch (err) {
      send(res, 500, 'text/plain; charset=utf-8', `internal error: ${(err as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${o.host}:${o.port}`;
      if (err.code === 'EADDRINUSE') reject(new InputError(`--port ${o.port}: ${where} is in use (another process listens there)`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES') reject(new InputError(`--address ${o.host}: cannot listen on ${where} (${err.code})`));
      else reject(err);
    });
    server.listen(o.port, o.host, () => resolve());
  });
  return server;
}

export function serverUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, head = false): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

function sendJson(res: ServerResponse, value: unknown, head: boolean): void {
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(value), head);
}

function handle(req: IncomingMessage, res: ServerResponse, source: ViewSource, assets: WebAssets, o: ServerOptions): void {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'the dashboard is read-only\n');
  }
  if (!hostAllowed(req.headers.host, o)) return send(res, 421, 'text/plain; charset=utf-8', 'unexpected Host header\n');
  const url = new URL(req.url ?? '/', 'http://dashboard');
  const path = url.pathname;
  if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', assets.indexHtml, head);
  if (path === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', assets.js, head);
  if (path === '/app.css') return send(res, 200, 'text/css; charset=utf-8', assets.css, head);
  if (!path.startsWith('/api/')) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  if (o.token && !tokenMatches(req, url, o.token)) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return send(res, 401, 'text/plain; charset=utf-8', 'a bearer token is required (the one stsvol dashboard printed)\n');
  }
  if (source.ready && !source.ready()) {
    res.setHeader('Retry-After', '2');
    return send(res, 503, 'text/plain; charset=utf-8', 'still reading the cluster: try again in a moment\n', head);
  }
  if (path === '/api/state') return sendJson(res, source.current().state(), head);
  const sts = /^\/api\/statefulsets\/([^/]+)\/([^/]+)$/.exec(path);
  if (sts) {
    const detail = source.current().detail(decodeURIComponent(sts[1]!), decodeURIComponent(sts[2]!));
    return detail ? sendJson(res, detail, head) : send(res, 404, 'text/plain; charset=utf-8', 'no such StatefulSet\n', head);
  }
  if (path === '/api/events') return streamEvents(req, res, source);
  send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
}

/** On loopback the page is reached as localhost or an IP: a rebound DNS name pointing here is not. */
function hostAllowed(host: string | undefined, o: ServerOptions): boolean {
  if (!isLoopback(o.host)) return true;
  const name = (host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return isLoopback(name);
}

function tokenMatches(req: IncomingMessage, url: URL, token: string): boolean {
  const auth = req.headers.authorization;
  // EventSource cannot send headers: the stream takes the token as a query parameter.
  const given = auth?.startsWith('Bearer ') ? auth.slice(7) : (url.searchParams.get('token') ?? '');
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function streamEvents(req: IncomingMessage, res: ServerResponse, source: ViewSource): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
  const push = (version: number) => res.write(`event: version\ndata: ${version}\n\n`);
  push(source.current().version);
  const unsubscribe = source.subscribe(push);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  req.once('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
