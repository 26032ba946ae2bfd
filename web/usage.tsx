// Per claim: used and capacity over time (uPlot), the trend line carried forward, and the
// auto-expansion policy. No samples: the reason, in words, and no chart.

import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import type { ClaimUsage } from '../src/dashboard/types.ts';
import { bytes, days } from './ui.tsx';

const DAY_S = 86_400;

/** The points, and the trend carried forward by a quarter of the span (at least an hour). */
function series(u: ClaimUsage): uPlot.AlignedData {
  const t = u.points.map((p) => p.at / 1000);
  const used = u.points.map((p) => p.usedBytes);
  const cap = u.points.map((p) => p.capacityBytes);
  const trend: (number | null)[] = u.points.map(() => null);
  const last = u.points.at(-1)!;
  if (u.bytesPerDay !== undefined && u.bytesPerDay > 0) {
    const ahead = Math.max(3600, (t.at(-1)! - t[0]!) / 4);
    const capped = u.daysToFull !== undefined ? Math.min(ahead, u.daysToFull * DAY_S) : ahead;
    trend[trend.length - 1] = last.usedBytes;
    t.push(last.at / 1000 + capped);
    used.push(null as unknown as number);
    cap.push(last.capacityBytes);
    trend.push(last.usedBytes + (u.bytesPerDay * capped) / DAY_S);
  }
  return [t, used, cap, trend];
}

function Chart({ u }: { u: ClaimUsage }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const dark = document.documentElement.dataset.theme === 'dark';
    const axis = { stroke: dark ? '#c9d1d9' : '#24292f', grid: { stroke: dark ? '#30363d' : '#e5e7eb' }, size: 72, values: (_: uPlot, ticks: number[]) => ticks.map((v) => bytes(v)) };
    const plot = new uPlot({
      width: 520, height: 180,
      scales: { y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
      axes: [{ stroke: axis.stroke, grid: axis.grid }, axis],
      series: [
        {},
        { label: 'used', stroke: '#2f81f7', width: 2, points: { show: true } },
        { label: 'capacity', stroke: '#8b949e', width: 1, dash: [4, 4] },
        { label: 'trend', stroke: '#d29922', width: 2, dash: [2, 3] },
      ],
      legend: { show: true },
    }, series(u), box.current);
    return () => plot.destroy();
  }, [u]);
  return <div ref={box} class="chart" role="img" aria-label={`usage of ${u.claim}: ${u.points.length} samples`} />;
}

export function ClaimUsageView({ u }: { u: ClaimUsage }) {
  const last = u.points.at(-1);
  return (
    <article class="usage" data-claim={u.claim}>
      <h4>{u.claim}{u.requested ? <span class="muted"> requests {u.requested}</span> : null}</h4>
      {last
        ? <p>{bytes(last.usedBytes)} of {bytes(last.capacityBytes)} ({Math.round((100 * last.usedBytes) / Math.max(1, last.capacityBytes))}%){u.bytesPerDay !== undefined ? `, ${u.bytesPerDay >= 0 ? '+' : '−'}${bytes(Math.abs(u.bytesPerDay))} a day` : ', no trend yet (fewer than 3 samples)'}{u.daysToFull !== undefined ? `, ${days(u.daysToFull)}` : ''}</p>
        : <p class="no-data">no data: {u.noData}</p>}
      {u.points.length ? <Chart u={u} /> : null}
      <p class="muted">usage from {u.source}</p>
      {u.policy
        ? 'problem' in u.policy
          ? <p class="policy">auto-expansion is asked for but cannot run: {u.policy.problem}</p>
          : <p class="policy">auto-expansion: at {u.policy.threshold} (or full within {u.policy.leadTime}) grow by {u.policy.increment} up to {u.policy.max}, at most once per {u.policy.cooldown}; now: {u.policy.decision}{u.policy.nextSize ? `, next size ${u.policy.nextSize}` : ''}</p>
        : <p class="policy muted">auto-expansion: not enabled (stsvol.io/auto-expand)</p>}
    </article>
  );
}
