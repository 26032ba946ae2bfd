// Where a command writes. Tests pass their own; the real CLI passes the process streams.
import { styleText } from 'node:util';

export interface Output {
  write(text: string): void;
  isTTY?: boolean;
}

export interface IO {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  /** The wall clock, for live analysis. */
  now(): number;
}

export function processIO(): IO {
  return {
    stdout: { write: (t) => void process.stdout.write(t), isTTY: process.stdout.isTTY },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: process.stderr.isTTY },
    env: process.env,
    now: () => Date.now(),
  };
}

export type Paint = (style: Parameters<typeof styleText>[0], text: string) => string;

/** Colour only on a terminal, and never when NO_COLOR is set or TERM is dumb. */
export function painter(out: Output, env: IO['env']): Paint {
  const enabled = Boolean(out.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  return enabled ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;
}
