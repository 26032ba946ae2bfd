// The dashboard page: a hash router over three views (#/ overview, #/sts/NS/NAME, #/operations),
// data from the server or the exported file, and a fresh fetch on every version the server announces.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import type { DashboardState, StatefulSetDetail } from '../src/dashboard/types.ts';
import { dataSource } from './data.ts';
import { Operations } from './operations.tsx';
import { Overview } from './overview.tsx';
import { StatefulSetPage } from './statefulset.tsx';

type Route = { page: 'overview' } | { page: 'operations' } | { page: 'sts'; key: string; selected?: string };

function route(): Route {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const parts = (path ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'sts' && parts.length === 3) return { page: 'sts', key: `${parts[1]}/${parts[2]}`, selected: new URLSearchParams(query ?? '').get('sel') ?? undefined };
  if (parts[0] === 'operations') return { page: 'operations' };
  return { page: 'overview' };
}

const data = dataSource();

function initialTheme(): 'dark' | 'light' {
  const saved = localStorage.getItem('stsvol-theme');
  if (saved === 'dark' || saved === 'light') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function App() {
  const [r, setRoute] = useState<Route>(route());
  const [state, setState] = useState<DashboardState>();
  const [detail, setDetail] = useState<StatefulSetDetail | null>();
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string>();
  // A failed fetch (a server still reading the cluster answers 503) is tried again shortly.
  const [attempt, setAttempt] = useState(0);
  const failed = (e: Error) => {
    setError(e.message);
    setTimeout(() => setAttempt((a) => a + 1), 2000);
  };
  const [theme, setTheme] = useState(initialTheme());

  useEffect(() => {
    const onHash = () => setRoute(route());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => data.subscribe(setVersion), []);
  useEffect(() => {
    data.state().then((s) => { setState(s); setError(undefined); }, failed);
  }, [version, attempt]);
  const key = r.page === 'sts' ? r.key : undefined;
  useEffect(() => {
    if (!key) return;
    data.detail(key).then((d) => setDetail(d ?? null), failed);
  }, [key, version, attempt]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('stsvol-theme', theme);
  }, [theme]);

  const meta = state?.meta;
  return (
    <>
      <header>
        <h1><a href="#/">stsvol</a></h1>
        <nav aria-label="pages"><a href="#/">StatefulSets</a> <a href="#/operations">Operations{state ? ` (${state.operations.length})` : ''}</a></nav>
        {meta ? (
          <p class="source" data-testid="source">
            {meta.source === 'live' ? `live: ${meta.sourceName}` : `dump: ${meta.sourceName}`}{data.offlineFile ? ' (exported page)' : ''}
            {meta.namespace ? ` · namespace ${meta.namespace}` : ''} · <time data-testid="clock">{meta.now}</time>
          </p>
        ) : null}
        <button type="button" class="theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={`switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`}>{theme === 'dark' ? 'light' : 'dark'} theme</button>
      </header>
      <main>
        {error ? <p class="error" role="alert">{error}</p> : null}
        {meta?.notices.length ? <ul class="notices">{meta.notices.map((n, i) => <li key={i}>{n}</li>)}</ul> : null}
        {!state ? <p>loading…</p>
          : r.page === 'overview' ? <Overview state={state} />
          : r.page === 'operations' ? <section aria-label="operations"><h2>Operations in progress</h2><Operations operations={state.operations} /></section>
          : detail === null ? <p>No StatefulSet {r.key} here. <a href="#/">All StatefulSets</a></p>
          : detail && detail.row.key === r.key ? <StatefulSetPage detail={detail} selected={r.selected} currency={meta!.currency} />
          : <p>loading…</p>}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
