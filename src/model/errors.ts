// Errors that end a command with a one-line message and a documented exit code (docs/exit-codes.md).

/** The user gave us something we cannot use: a path, a file, a flag value. Exit 2. */
export class InputError extends Error {
  override name = 'InputError';
}

/** The cluster could not be reached or refused us as a whole (not one kind: that is a notice). Exit 3. */
export class ClusterError extends Error {
  override name = 'ClusterError';
}
