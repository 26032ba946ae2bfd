// Where the page's data comes from: the server (JSON endpoints, server-sent events for news) or,
// in an exported file, the JSON embedded in the page itself (no request at all).

import type { DashboardState, ExportedDashboard, StatefulSetDetail } from '../src/dashboard/types.ts';

export interface DataSource {
  readonly offlineFile: boolean;
  state(): Promise<DashboardState>;
  detail(key: string): Promise<StatefulSetDetail | undefined>;
  /** Calls back with each new version; returns the unsubscribe function. */
  subscribe(onVersion: (version: number) => void): () => void;
}

class EmbeddedData implements DataSource {
  readonly offlineFile = true;
  private readonly data: ExportedDashboard;
  constructor(data: ExportedDashboard) {
    this.data = data;
  }
  state() {
    return Promise.resolve(this.data.state);
  }
  detail(key: string) {
    return Promise.resolve(this.data.details[key]);
  }
  subscribe() {
    return () => {};
  }
}

const TOKEN_KEY = 'stsvol-token';

/** The token arrives once in the address (?token=), is kept for the tab, and leaves the address bar. */
function takeToken(): string | undefined {
  const url = new URL(location.href);
  const given = url.searchParams.get('token');
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

class ServerData implements DataSource {
  readonly offlineFile = false;
  private readonly token = takeToken();

  private async get<T>(path: string): Promise<T | undefined> {
    const res = await fetch(path, { headers: this.token ? { Authorization: `Bearer ${this.token}` } : {}, cache: 'no-store' });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async state() {
    const state = await this.get<DashboardState>('api/state');
    if (!state) throw new Error('the server has no state');
    return state;
  }

  detail(key: string) {
    const [ns, name] = key.split('/');
    return this.get<StatefulSetDetail>(`api/statefulsets/${encodeURIComponent(ns ?? '')}/${encodeURIComponent(name ?? '')}`);
  }

  subscribe(onVersion: (version: number) => void) {
    const events = new EventSource(`api/events${this.token ? `?token=${encodeURIComponent(this.token)}` : ''}`);
    events.addEventListener('version', (e) => onVersion(Number((e as MessageEvent<string>).data)));
    return () => events.close();
  }
}

export function dataSource(): DataSource {
  const embedded = document.getElementById('stsvol-data');
  return embedded ? new EmbeddedData(JSON.parse(embedded.textContent ?? '{}') as ExportedDashboard) : new ServerData();
}
