// Exit codes of every stsvol command (docs/exit-codes.md). Scripts and CI gates depend on them.
export const EXIT = {
  /** Done; for doctor: no finding at or above --fail-on. */
  OK: 0,
  /** doctor: at least one finding at or above --fail-on. */
  FINDINGS: 1,
  /** Bad input: usage, flags, unreadable or malformed files, unknown names. Nothing was changed. */
  INPUT: 2,
  /** The cluster could not be reached, or refused us as a whole. */
  CLUSTER: 3,
  /** A bug in stsvol. Please report it with the message. */
  INTERNAL: 70,
} as const;
