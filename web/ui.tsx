// Small pieces every page uses. A severity is always a symbol and a word besides its colour.

import type { Health } from '../src/dashboard/types.ts';

export const SYMBOL: Record<Health, string> = { critical: '✖', warning: '▲', info: '●', ok: '✓' };

export function Badge({ health }: { health: Health }) {
  return <span class={`badge h-${health}`}><span aria-hidden="true">{SYMBOL[health]}</span> {health}</span>;
}

export function money(n: number | undefined, currency: string): string {
  return n === undefined ? '—' : `${n.toFixed(2)} ${currency}`;
}

export function gib(n: number): string {
  return n >= 1024 ? `${(n / 1024).toFixed(1)} TiB` : `${Math.round(n * 10) / 10} GiB`;
}

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}

export function days(d: number | undefined): string {
  if (d === undefined) return '';
  if (d < 1) return `full in ${Math.max(1, Math.round(d * 24))} h`;
  return `full in ${Math.round(d)} d`;
}

export function stsHref(key: string, selected?: string): string {
  return `#/sts/${key.split('/').map(encodeURIComponent).join('/')}${selected ? `?sel=${encodeURIComponent(selected)}` : ''}`;
}

/** A command as one copyable line: selecting it selects the command only; the button copies it. */
export function Command({ text }: { text: string }) {
  const copy = () => void navigator.clipboard?.writeText(text);
  return (
    <div class="command">
      <code>{text}</code>
      <button type="button" class="copy" onClick={copy} aria-label="copy the command">copy</button>
    </div>
  );
}
