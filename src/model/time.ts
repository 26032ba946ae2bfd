// Time in stsvol: every check compares against one `now` chosen when the model is built, so an
// offline dump analysed next week says exactly what it said today. Times are compared as instants,
// never as strings: "10:30:00.5Z" and "11:30:00+01:00" sort wrongly as text.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Milliseconds since the epoch of an RFC3339 time, or undefined for anything else, including
 *  dates the calendar does not have (February 31) and hours it does not have (24:00), which
 *  JavaScript's Date would quietly roll over into the next day. */
export function parseTime(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const ms = Date.parse(text.toUpperCase());
  return Number.isNaN(ms) ? undefined : ms;
}

export function toRfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Orders two timestamps as instants, newest first; a missing or malformed one sorts last. */
export function newestFirst(a: string | undefined, b: string | undefined): number {
  const ta = parseTime(a) ?? Number.NEGATIVE_INFINITY;
  const tb = parseTime(b) ?? Number.NEGATIVE_INFINITY;
  return ta === tb ? 0 : ta > tb ? -1 : 1;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Age as kubectl prints it: 45s, 12m, 3h20m, 19d. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / SECOND));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
