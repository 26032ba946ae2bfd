// Structured logs: one JSON object per line on stdout, as log pipelines (Loki, Elastic, Cloud
// Logging) read them without a parser of their own. Names and messages from the cluster are
// escaped like every other output (safe-text.ts), so a log line cannot drive a terminal.

import { jsonText } from '../model/safe-text.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export type Logger = (level: Level, msg: string, fields?: Record<string, unknown>) => void;

export function jsonLogger(write: (line: string) => void, now: () => number = Date.now): Logger {
  return (level, msg, fields = {}) => write(`${jsonText({ time: new Date(now()).toISOString(), level, msg, ...fields })}\n`);
}
