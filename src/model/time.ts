// Time in stsvol: every check compares against one `now` chosen when the model is built, so an
// offline dump analysed next week says exactly what it said today. Times are compared as instants,
// never as strings: "10:30:00.5Z" and "11:30:00+01:00" sort wrongly as text.

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The number of `length` decimal digits at `at`, or -1. */
function digits(text: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Milliseconds since the epoch of an RFC3339 time, or undefined for anything else, including
 *  dates the calendar does not have (February 31) and hours it does not have (24:00), which
 *  JavaScript's Date would quietly roll over into the next day. Read character by character:
 *  a large dump holds millions of timestamps. */
export function parseTime(text: string | undefined): number | undefined {
  if (typeof text !== 'string' || text.length < 20) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const t = text.charCodeAt(10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || (t !== 84 && t !== 116) || text[13] !== ':' || text[16] !== ':') return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  let i = 19;
  let millis = 0;
  if (text[i] === '.') {
    const from = ++i;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === from) return undefined;
    millis = Math.floor(Number(`0.${text.slice(from, i)}`) * 1000);
  }
  let offset = 0;
  const zone = text[i];
  if (zone === 'Z' || zone === 'z') {
    if (i + 1 !== text.length) return undefined;
  } else if (zone === '+' || zone === '-') {
    const oh = digits(text, i + 1, 2);
    const om = digits(text, i + 4, 2);
    if (i + 6 !== text.length || text[i + 3] !== ':' || oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offset = (zone === '+' ? 1 : -1) * (oh * 60 + om) * 60_000;
  } else {
    return undefined;
  }
  // Date.UTC reads years 0-99 as 1900-1999; 400 Gregorian years later the calendar repeats exactly.
  if (year < 100) return Date.UTC(year + 400, month - 1, day, hour, minute, second, millis) - GREGORIAN_400_YEARS - offset;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset;
}

const GREGORIAN_400_YEARS = 146_097 * 86_400_000;

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

const DURATION_UNIT: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (30s, 1m30s, 6h) or whole seconds, in milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, n, , u] of text.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(n) * DURATION_UNIT[u!]!;
  return Math.ceil(ms);
}
