// Where a command writes. Tests pass their own; the real CLI passes the process streams, guarded:
// a reader that goes away (`stsvol doctor | head`) ends the output quietly, and a write that fails
// (a full disk) is remembered so the command can end with one clear line and exit 74.
import { styleText } from 'node:util';

export interface Output {
  write(text: string): void;
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
  /** Resolves once the reader took what was written so far: a large output is written at the
   *  reader's pace instead of being held in memory. */
  drained?(): Promise<void>;
}

export interface IO {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  /** The wall clock, for live analysis and for judging an offline dump's timestamps. */
  now(): number;
  /** Asks a yes/no question on the terminal; absent when standard input is not one. */
  confirm?(question: string): Promise<boolean>;
  /** Why standard output could not be written, once what was written reached the system. */
  settled?(): Promise<OutputFailure | undefined>;
  /** Ends a command that runs until stopped (dashboard); absent: SIGINT or SIGTERM. */
  stop?: AbortSignal;
}

/** The signal that stops a long-running command: the IO's, or the process' SIGINT and SIGTERM. */
export function stopSignal(io: IO): AbortSignal {
  if (io.stop) return io.stop;
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  abort.signal.addEventListener('abort', () => {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  });
  return abort.signal;
}

/** Why standard output could not be written, if it could not. */
export interface OutputFailure {
  code: string;
}

export interface ProcessIO extends IO {
  failure(): OutputFailure | undefined;
  /** Resolves once what was written has reached the operating system (or failed). */
  flush(): Promise<void>;
}

export function processIO(): ProcessIO {
  let failure: OutputFailure | undefined;
  let closed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    closed = true;
    if (err.code !== 'EPIPE') failure ??= { code: err.code ?? String(err) };
  });
  process.stderr.on('error', () => undefined); // nowhere left to report it
  const flush = () => new Promise<void>((resolve) => (closed ? resolve() : process.stdout.write('', () => resolve())));
  return {
    stdout: {
      write: (t) => void (closed || process.stdout.write(t)),
      isTTY: process.stdout.isTTY,
      get columns() {
        return process.stdout.columns;
      },
      drained: () => new Promise<void>((resolve) => {
        if (closed || !process.stdout.writableNeedDrain) return resolve();
        process.stdout.once('drain', resolve);
        process.stdout.once('error', () => resolve());
      }),
    },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: process.stderr.isTTY },
    env: process.env,
    now: () => Date.now(),
    ...(process.stdin.isTTY ? { confirm: ask } : {}),
    failure: () => failure,
    flush,
    settled: async () => {
      await flush();
      return failure;
    },
  };
}

async function ask(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export type Paint = (style: Parameters<typeof styleText>[0], text: string) => string;

/** Colour only on a terminal, and never when NO_COLOR is set or TERM is dumb. */
export function painter(out: Output, env: IO['env']): Paint {
  const enabled = Boolean(out.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  return enabled ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;
}
