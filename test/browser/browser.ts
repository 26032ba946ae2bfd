// Real Chromium (Debian's chromium package, never a downloaded one) driven by playwright-core, and
// the dashboard served in-process from a view, as `stsvol dashboard` serves it.
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadWebAssets } from '../../src/dashboard/assets.ts';
import { serverUrl, startDashboardServer, type ViewSource } from '../../src/dashboard/server.ts';
import type { DashboardView } from '../../src/dashboard/view.ts';

const CHROMIUM = process.env.STSVOL_CHROMIUM ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set STSVOL_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}

/** A page that records every console error, failed request and uncaught exception. */
export async function watchedPage(browser: Browser, o: { colorScheme?: 'dark' | 'light' } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: o.colorScheme ?? 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  return { page, problems };
}

export async function serve(view: DashboardView | ViewSource, token?: string): Promise<{ server: Server; url: string }> {
  const source: ViewSource = 'current' in view && typeof view.current === 'function' ? view as ViewSource : { current: () => view as DashboardView, subscribe: () => () => {} };
  const server = await startDashboardServer(source, loadWebAssets(), { host: '127.0.0.1', port: 0, ...(token ? { token } : {}) });
  return { server, url: serverUrl(server, '127.0.0.1') };
}

/** What the graph on the page holds: its elements' ids and its edges. */
export async function drawnGraph(page: Page): Promise<{ nodes: string[]; edges: string[] }> {
  const nodes = await page.locator('svg.graph g.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
  const edges = await page.locator('svg.graph path.edge').evaluateAll((els) => els.map((e) => e.getAttribute('data-edge')!));
  return { nodes: nodes.sort(), edges: edges.sort() };
}
