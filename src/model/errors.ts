// Errors that end a command with a one-line message and a documented exit code (docs/exit-codes.md).

/** The user gave us something we cannot use: a path, a file, a flag value. Exit 2. */
export class InputError extends Error {
  override name = 'InputError';
}

/** The cluster could not be reached or refused us as a whole (not one kind: that is a notice). Exit 3. */
export class ClusterError extends Error {
  override name = 'ClusterError';
  /** The request may succeed if sent again: the connection dropped or no answer came in time. */
  readonly retryable: boolean;
  /** Nothing answered at that address (refused, no such host): worth a retry only from a client
   *  that reached the server before (a restart), not on a first contact. */
  readonly unreachable: boolean;
  /** No answer came within --request-timeout. */
  readonly timedOut: boolean;

  constructor(message: string, options: { retryable?: boolean; unreachable?: boolean; timedOut?: boolean } = {}) {
    super(message);
    this.retryable = options.retryable ?? false;
    this.unreachable = options.unreachable ?? false;
    this.timedOut = options.timedOut ?? false;
  }
}

/** The first line of an error's message, for the one-line reports every error ends in; capped,
 *  since a message may quote a whole server response. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().split('\n')[0]!.trim().slice(0, 300);
}
