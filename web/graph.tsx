// The StatefulSet's storage chain as a graph, laid out by dagre (layered, left to right: pods,
// claims, volumes, attachments, nodes), nodes boxed by zone. Every element is a focusable button
// whose label says its kind, name, state and health in words, so the picture reads without colour.

import dagre from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import type { GraphNode, Topology } from '../src/dashboard/types.ts';
import { SYMBOL } from './ui.tsx';

const W = 200;
const H = 50;
const SHORT: Record<GraphNode['kind'], string> = {
  Pod: 'pod', PersistentVolumeClaim: 'claim', PersistentVolume: 'volume', VolumeAttachment: 'attachment', Node: 'node', StorageClass: 'class', CSIDriver: 'driver',
};

interface Laid {
  nodes: (GraphNode & { x: number; y: number })[];
  edges: { from: string; to: string; kind: string; points: { x: number; y: number }[] }[];
  zones: { zone: string; x: number; y: number; width: number; height: number }[];
  width: number;
  height: number;
}

function layout(t: Topology): Laid {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const z of t.zones) g.setNode(`zone:${z}`, { label: z, clusterLabelPos: 'top' });
  for (const n of t.nodes) {
    g.setNode(n.id, { width: W, height: H });
    if (n.kind === 'Node') g.setParent(n.id, `zone:${n.zone ?? ''}`);
  }
  // The pod's own node is context, not part of the chain: it must not pull the layout apart.
  for (const e of t.edges) g.setEdge(e.from, e.to, { weight: e.kind === 'runs-on' ? 0 : 1 });
  dagre.layout(g);
  const graph = g.graph() as { width?: number; height?: number };
  return {
    nodes: t.nodes.map((n) => ({ ...n, x: g.node(n.id).x, y: g.node(n.id).y })),
    edges: t.edges.map((e) => ({ ...e, points: (g.edge(e.from, e.to) as { points: { x: number; y: number }[] }).points })),
    zones: t.zones.map((z) => {
      const b = g.node(`zone:${z}`) as { x: number; y: number; width: number; height: number };
      return { zone: z, x: b.x - b.width / 2, y: b.y - b.height / 2, width: b.width, height: b.height };
    }),
    width: graph.width ?? 400,
    height: graph.height ?? 200,
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function Graph({ topology, selected, onSelect }: { topology: Topology; selected?: string; onSelect: (id: string) => void }) {
  const laid = useMemo(() => layout(topology), [topology]);
  const key = (e: KeyboardEvent, id: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(id);
    }
  };
  return (
    <svg class="graph" viewBox={`0 0 ${laid.width} ${laid.height}`} width={laid.width} height={laid.height} role="group" aria-label="storage topology">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" /></marker>
      </defs>
      {laid.zones.map((z) => (
        <g key={z.zone} class="zone" data-zone={z.zone}>
          <rect x={z.x} y={z.y} width={z.width} height={z.height} rx="8" />
          <text x={z.x + 8} y={z.y + 14}>{z.zone ? `zone ${z.zone}` : 'no zone'}</text>
        </g>
      ))}
      {laid.edges.map((e) => (
        <path key={`${e.from}>${e.to}`} class={`edge e-${e.kind}`} data-edge={`${e.from}>${e.to}`} data-kind={e.kind} marker-end="url(#arrow)"
          d={e.points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ')} />
      ))}
      {laid.nodes.map((n) => (
        <g key={n.id} class={`node k-${n.kind} h-${n.health}${n.leftover ? ' leftover' : ''}${selected === n.id ? ' selected' : ''}`} data-id={n.id} data-kind={n.kind} data-health={n.health}
          transform={`translate(${n.x - W / 2} ${n.y - H / 2})`} tabindex={0} role="button" aria-pressed={selected === n.id}
          aria-label={`${SHORT[n.kind]} ${n.name}, ${n.detail}, ${n.health}${n.leftover ? `, left over: ${n.leftover}` : ''}`}
          onClick={() => onSelect(n.id)} onKeyDown={(e) => key(e as KeyboardEvent, n.id)}>
          <title>{`${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}\n${n.detail}${n.leftover ? `\nleft over: ${n.leftover}` : ''}`}</title>
          <rect width={W} height={H} rx="6" />
          <text x="8" y="18" class="kind">{SHORT[n.kind]}{n.leftover ? ' · left over' : ''}</text>
          <text x={W - 8} y="18" class="sym" text-anchor="end">{SYMBOL[n.health]} {n.health === 'ok' ? '' : n.health}</text>
          <text x="8" y="33" class="name">{clip(n.name, 27)}</text>
          <text x="8" y="45" class="detail">{clip(n.detail, 32)}</text>
        </g>
      ))}
    </svg>
  );
}
