// kubectl's --request-timeout, kept apart from the transport so that checking the flag never loads
// @kubernetes/client-node (most of a second), which offline analysis does not need.

import { InputError } from './errors.ts';
import { parseDuration } from './time.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The longest timer Node keeps: a longer one fires at once (with a warning) instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** kubectl's --request-timeout: a Go duration (30s, 1m30s, 500ms) or whole seconds; 0 is none.
 *  Longer than 24.8 days is held to that, which no request outlives anyway. */
export function parseRequestTimeout(text: string): number {
  return Math.min(durationMs(text), MAX_TIMER_MS);
}

function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InputError(`--request-timeout ${text}: not a duration (e.g. 30s, 1m, 0 for none)`);
  return ms;
}
