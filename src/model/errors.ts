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

  constructor(message: string, options: { retryable?: boolean } = {}) {
    super(message);
    this.retryable = options.retryable ?? false;
  }
}

/** The first line of an error's message, for the one-line reports every error ends in; capped,
 *  since a message may quote a whole server response. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().split('\n')[0]!.trim().slice(0, 300);
}
