// What `stsvol snapshot` could not read or use, written on the snapshot (the NOTICES_ANNOTATION of
// its list) and read back by offline analysis, so that a snapshot says what live analysis said:
// the kinds that were hidden, and the objects skipped as invalid.

import { KIND_NOTICES, type Notice } from './snapshot.ts';

/** A cluster with thousands of broken objects is said to have them; naming each is not needed. */
const MAX_RECORDED_OBJECTS = 100;

/** The notices worth carrying, in their order, as the annotation's text; undefined when none. */
export function recordNotices(notices: readonly Notice[]): string | undefined {
  const recorded: Notice[] = [];
  let invalid = 0;
  for (const { kind, reason, message, object, source } of notices) {
    if (KIND_NOTICES.has(reason)) recorded.push({ kind, reason, message });
    else if (reason === 'invalid' && ++invalid <= MAX_RECORDED_OBJECTS) recorded.push({ kind, reason, message, object, source });
  }
  if (invalid > MAX_RECORDED_OBJECTS) {
    const more = invalid - MAX_RECORDED_OBJECTS;
    recorded.push({ kind: '', reason: 'invalid', message: `${more} more objects were skipped as invalid when the snapshot was taken`, count: more });
  }
  return recorded.length ? JSON.stringify(recorded) : undefined;
}

/** The notices a snapshot recorded; anything malformed in the annotation is ignored. */
export function readRecordedNotices(text: string): Notice[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? parsed.flatMap((n) => asNotice(n) ?? []) : [];
}

function asNotice(n: Partial<Record<keyof Notice, unknown>> | null): Notice | undefined {
  if (typeof n?.kind !== 'string' || typeof n.message !== 'string') return undefined;
  const reason = n.reason as Notice['reason'];
  if (KIND_NOTICES.has(reason)) return { kind: n.kind, reason, message: n.message };
  if (reason !== 'invalid') return undefined;
  const object = n.object as Record<string, unknown> | undefined;
  const ref = object && typeof object.kind === 'string' && typeof object.name === 'string'
    ? { kind: object.kind, name: object.name, ...(typeof object.namespace === 'string' ? { namespace: object.namespace } : {}) }
    : undefined;
  const count = Number.isSafeInteger(n.count) && (n.count as number) > 0 ? { count: n.count as number } : {};
  return { kind: n.kind, reason, message: n.message, ...(ref ? { object: ref } : {}), ...(typeof n.source === 'string' ? { source: n.source } : {}), ...count };
}
