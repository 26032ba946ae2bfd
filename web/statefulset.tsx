// One StatefulSet: its graph; the selected element's findings (remedies as doctor prints them) and
// its object as YAML; the usage of each claim; its operations; its audit.

import type { Finding } from '../src/checks/finding.ts';
import { elementId } from '../src/dashboard/element-id.ts';
import type { StatefulSetDetail } from '../src/dashboard/types.ts';
import { Graph } from './graph.tsx';
import { Operations } from './operations.tsx';
import { FindingCard } from './remedy.tsx';
import { Badge, money, stsHref } from './ui.tsx';
import { ClaimUsageView } from './usage.tsx';


function findingsOf(findings: Finding[], id: string): Finding[] {
  return findings.filter((f) => [f.object, ...f.related].some((r) => elementId(r) === id));
}

export function StatefulSetPage({ detail, selected, currency }: { detail: StatefulSetDetail; selected?: string; currency: string }) {
  const { row, topology } = detail;
  const select = (id: string) => { location.hash = stsHref(row.key, id); };
  const node = topology.nodes.find((n) => n.id === selected);
  const shown = node ? findingsOf(detail.findings, node.id) : detail.findings;
  return (
    <section aria-label={`StatefulSet ${row.key}`}>
      <p><a href="#/">← all StatefulSets</a></p>
      <h2><Badge health={row.health} /> StatefulSet {row.key}</h2>
      <p class="summary">
        <span>{row.ready}/{row.desired} ready</span>
        <span>{row.claims} claims</span>
        <span>{money(row.monthlyCost, currency)} a month</span>
        {detail.audit ? <span>audit score <strong>{detail.audit.score}</strong>/100</span> : null}
        {topology.moreLeftovers ? <span>{topology.moreLeftovers} more leftover volumes not drawn</span> : null}
      </p>
      <div class="legend" aria-hidden="true">
        <span class="badge h-critical">✖ critical</span> <span class="badge h-warning">▲ warning</span> <span class="badge h-info">● info</span> <span class="badge h-ok">✓ ok</span> <span class="leftover-key">dashed: left over</span>
      </div>
      <div class="graph-box"><Graph topology={topology} selected={selected} onSelect={select} /></div>
      <div class="columns">
        <section aria-label="findings" class="panel">
          <h3>{node ? `Findings on ${node.kind} ${node.name}` : 'Findings'} ({shown.length})</h3>
          {node ? <p><a href={stsHref(row.key)}>show every finding of the StatefulSet</a></p> : null}
          {shown.length ? shown.map((f, i) => <FindingCard key={i} f={f} />) : <p class="muted">none</p>}
          {node ? (
            <>
              <h3>Object</h3>
              {node.leftover ? <p>left over: {node.leftover}</p> : null}
              <pre class="yaml" data-testid="yaml">{detail.yaml[node.id] ?? ''}</pre>
            </>
          ) : null}
        </section>
        <section aria-label="usage" class="panel">
          <h3>Usage</h3>
          {detail.usage.length ? detail.usage.map((u) => <ClaimUsageView key={u.claim} u={u} />) : <p class="muted">no claims</p>}
          <h3>Operations</h3>
          <Operations operations={detail.operations} />
          {detail.audit ? (
            <>
              <h3>Audit ({detail.audit.findings.length})</h3>
              {detail.audit.findings.map((f, i) => <FindingCard key={i} f={f} />)}
            </>
          ) : null}
        </section>
      </div>
    </section>
  );
}
