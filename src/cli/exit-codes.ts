// Exit codes of every stsvol command (README, "Exit codes"). Scripts and CI gates depend on them.
export const EXIT = {
  /** Done; for doctor: no finding at or above --fail-on, and every essential kind was read. */
  OK: 0,
  /** doctor: at least one finding at or above --fail-on. */
  FINDINGS: 1,
  /** Bad input: usage, flags, unreadable or malformed files, unknown names. Nothing was changed. */
  INPUT: 2,
  /** The cluster could not be reached, refused us as a whole, or (doctor, live) hid an essential
   *  kind so that no finding cannot mean healthy. */
  CLUSTER: 3,
  /** resize, scale, recover, reclaim: the preflight refused the plan (or another operation holds
   *  the StatefulSet). Nothing was changed. */
  REFUSED: 4,
  /** An operation stopped part-way (a condition failed, a wait gave up, Ctrl-C, the API failed
   *  for good); its journal is kept and the same command resumes it. */
  STOPPED: 5,
  /** A bug in stsvol. The message says where to look; STSVOL_DEBUG=1 prints the trace. */
  INTERNAL: 70,
  /** The output could not be written (a full disk, a closed file). Not for a reader that left
   *  early (`| head`): that ends quietly. */
  OUTPUT: 74,
} as const;
