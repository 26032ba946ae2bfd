// Text for a terminal: prose wrapped to its width with a hanging indent, counts in words that agree
// with their number, and commands kept whole on lines of their own so a triple-click copies exactly
// one runnable line.

/** The width to wrap to: COLUMNS when set, else the terminal's; undefined (no wrapping) for a pipe. */
export function terminalWidth(env: Record<string, string | undefined>, out: { isTTY?: boolean; columns?: number }): number | undefined {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  return out.isTTY && out.columns ? out.columns : undefined;
}

/** Narrower than this, wrapping would give a word per line: the text is left to the terminal. */
const MIN_WRAP = 40;

/** `text` broken at spaces into lines of at most `width` (a word longer than a line stays whole),
 *  the first prefixed with `first`, the others with `rest` (a hanging indent). */
export function wrap(text: string, width: number | undefined, first: string, rest = ' '.repeat(first.length)): string[] {
  if (!width || width < MIN_WRAP) return [first + text];
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  // Split at single spaces, so a double space (between a check and its object) survives.
  for (const word of text.split(' ')) {
    if (!fresh && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      fresh = true;
    }
    if (fresh && !word) continue;
    line += (fresh ? '' : ' ') + word;
    fresh = false;
  }
  lines.push(line);
  return lines;
}

/** One line cut to `width` with an ellipsis. */
export function clip(text: string, width: number | undefined): string {
  return width && text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text;
}

export { count } from '../model/words.ts';
