// Text from the cluster or a dump (event messages, names, annotations) is shown to a person but
// must never drive their terminal: control characters could move the cursor, rewrite earlier lines
// or fake a clean report, and bidirectional overrides can make a command read differently from
// what it runs. They are shown escaped instead. Every writer of stsvol goes through here: terminal
// text through safeText, JSON through jsonText, YAML through yamlText, so a new output inherits it.

import { stringify } from 'yaml';

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const HIGH_CONTROL = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** For a terminal: every control character as \xHH or \u{HHHH}, so one message is one line. */
export function safeText(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u{${hex(code, 4)}}`;
  });
}

/** For JSON already serialized: JSON.stringify escapes C0 controls but leaves C1 controls and
 *  bidirectional overrides raw; their \uHHHH escapes keep the data identical for any parser. */
export function safeJson(json: string): string {
  return json.replace(HIGH_CONTROL, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/** A value as JSON (one line, or indented), safe for a terminal and exact for a parser. */
export function jsonText(value: unknown, indent?: number): string {
  return safeJson(JSON.stringify(value, null, indent));
}

/** Every string double-quoted, so the escapes below are escapes to any YAML reader too. */
export const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' } as const;

/** A value as YAML, safe for a terminal and exact for a parser. */
export function yamlText(value: unknown): string {
  return safeJson(stringify(value, YAML_OPTIONS));
}
