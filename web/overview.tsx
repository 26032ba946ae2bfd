// Every StatefulSet in one table: sortable by any column, filtered by namespace and severity.

import { useMemo, useState } from 'preact/hooks';
import { byHealth, HEALTH_RANK } from '../src/dashboard/health.ts';
import type { DashboardState, Health, StatefulSetRow } from '../src/dashboard/types.ts';
import { FindingCard } from './remedy.tsx';
import { Badge, days, gib, money, stsHref } from './ui.tsx';

type Column = 'name' | 'ready' | 'health' | 'usage' | 'cost' | 'operations' | 'score';


const SORTERS: Record<Column, (a: StatefulSetRow, b: StatefulSetRow) => number> = {
  name: (a, b) => a.key.localeCompare(b.key),
  ready: (a, b) => a.ready / Math.max(1, a.desired) - b.ready / Math.max(1, b.desired),
  health: byHealth,
  usage: (a, b) => (b.usage?.usedPercent ?? -1) - (a.usage?.usedPercent ?? -1),
  cost: (a, b) => (b.monthlyCost ?? -1) - (a.monthlyCost ?? -1),
  operations: (a, b) => b.operations - a.operations,
  score: (a, b) => (a.auditScore ?? 101) - (b.auditScore ?? 101),
};

const LABELS: Record<Column, string> = { name: 'StatefulSet', ready: 'Ready', health: 'Worst finding', usage: 'Usage', cost: 'Per month', operations: 'Operations', score: 'Audit score' };

/** Rows shown at once: a 30,000-pod cluster has thousands of StatefulSets; the filter finds the rest. */
const PAGE = 200;

export function Overview({ state }: { state: DashboardState }) {
  const [sort, setSort] = useState<{ by: Column; reverse: boolean }>({ by: 'health', reverse: false });
  const [namespace, setNamespace] = useState('');
  const [severity, setSeverity] = useState<Health | ''>('');
  const [text, setText] = useState('');
  const [shown, setShown] = useState(PAGE);
  const namespaces = useMemo(() => [...new Set(state.rows.map((r) => r.namespace))].sort(), [state.rows]);
  const rows = useMemo(() => {
    const atLeast = severity ? HEALTH_RANK[severity] : 3;
    const filtered = state.rows.filter((r) => (!namespace || r.namespace === namespace) && HEALTH_RANK[r.health] <= atLeast && (!text || r.key.includes(text)));
    const sorted = [...filtered].sort(SORTERS[sort.by]);
    return sort.reverse ? sorted.reverse() : sorted;
  }, [state.rows, namespace, severity, text, sort]);
  const header = (c: Column) => (
    <th scope="col" aria-sort={sort.by === c ? (sort.reverse ? 'descending' : 'ascending') : 'none'}>
      <button type="button" onClick={() => setSort({ by: c, reverse: sort.by === c ? !sort.reverse : false })}>
        {LABELS[c]}{sort.by === c ? (sort.reverse ? ' ↑' : ' ↓') : ''}
      </button>
    </th>
  );
  return (
    <section aria-label="overview">
      <div class="summary">
        <span>{state.rows.length} StatefulSets</span>
        <span>audit score <strong data-testid="cluster-score">{state.audit.score}</strong>/100</span>
        {state.cost ? <span>storage {money(state.cost.monthly, state.meta.currency)} a month, of which left over {money(state.cost.leftoversMonthly, state.meta.currency)}</span> : null}
        <span>{state.operations.filter((o) => !o.damaged).length} operations in progress</span>
      </div>
      <div class="filters">
        <label>Namespace <select value={namespace} onChange={(e) => setNamespace((e.target as HTMLSelectElement).value)}>
          <option value="">all</option>
          {namespaces.map((n) => <option key={n} value={n}>{n}</option>)}
        </select></label>
        <label>Severity <select value={severity} onChange={(e) => setSeverity((e.target as HTMLSelectElement).value as Health | '')}>
          <option value="">any</option>
          <option value="critical">critical</option>
          <option value="warning">warning and above</option>
          <option value="info">info and above</option>
        </select></label>
        <label>Name <input type="search" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} placeholder="namespace/name" /></label>
      </div>
      <table class="overview">
        <thead><tr>{(Object.keys(LABELS) as Column[]).map(header)}</tr></thead>
        <tbody>
          {rows.slice(0, shown).map((r) => (
            <tr key={r.key} data-key={r.key} class={`h-${r.health}`}>
              <td><a href={stsHref(r.key)}>{r.key}</a></td>
              <td>{r.ready}/{r.desired}</td>
              <td><Badge health={r.health} />{r.worst ? <span class="worst"> {r.worst.check}</span> : null}</td>
              <td>{r.usage ? <span title={r.usage.claim}>{Math.round(r.usage.usedPercent)}% <span class="muted">{days(r.usage.daysToFull)}</span></span> : <span class="muted">no data</span>}</td>
              <td>{money(r.monthlyCost, state.meta.currency)} <span class="muted">{gib(r.provisionedGiB)}</span></td>
              <td>{r.operations || ''}</td>
              <td>{r.auditScore ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown ? <button type="button" onClick={() => setShown(shown + PAGE)}>show {Math.min(PAGE, rows.length - shown)} more of {rows.length - shown}</button> : null}
      {state.audit.findings.length ? (
        <section aria-label="cluster audit">
          <h2>Cluster-wide audit findings</h2>
          {state.audit.findings.map((f, i) => <FindingCard key={i} f={f} />)}
        </section>
      ) : null}
    </section>
  );
}
