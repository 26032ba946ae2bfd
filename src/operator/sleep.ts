/** Waits `ms`, or less when `signal` aborts: every loop of the operator ends promptly on SIGTERM.
 *  The abort listener goes with the timer, so loops that sleep all day hold none. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
