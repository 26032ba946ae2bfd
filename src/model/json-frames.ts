// Reads JSON of any size as a stream of Kubernetes objects: a dump of a large cluster is bigger than
// the largest string JavaScript can hold (~512 MiB), so it cannot be one JSON.parse.
//
// The framer does not parse JSON itself. It finds where each unit starts and ends — an element of
// a top-level array, each member of a top-level object, each element of that object's "items" — and
// hands the unit's bytes to JSON.parse, which does all the parsing and most of the validation. The
// framer checks the few levels it walks (brackets, commas, colons) so malformed input is refused,
// never half-read. Measured on a 74 MiB snapshot: JSON.parse of the whole file 1.1 s, framing plus
// JSON.parse per item 1.4 s with half the memory; JavaScript streaming parsers took 4.9 s and 15 s.
//
// Several top-level values in a row (what `kubectl get -w -o json` writes) are read one by one.

/** A unit of a JSON document, in the order it appears. */
export type JsonFrame =
  /** A whole top-level object without "items", or an element of a top-level array. */
  | { type: 'value'; value: unknown; line: number }
  /** A top-level object's "items" array begins; `header` holds the members read before it. */
  | { type: 'list-start'; header: Record<string, unknown>; line: number }
  /** One element of a top-level object's "items". */
  | { type: 'item'; value: unknown; line: number; index: number }
  /** The top-level object that held "items" ends; `header` holds all its other members. */
  | { type: 'list-end'; header: Record<string, unknown>; line: number };

export class JsonSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

/** Strings longer than this are searched natively (memchr); a call costs more than a short loop. */
const SHORT_STRING = 24;

/** The offset of the quote that ends a string whose content starts at `from`, or -1 when the
 *  buffer ends first. Only quotes matter: one is escaped exactly when an odd number of backslashes
 *  precede it. */
function stringEnd(buf: Buffer, from: number, len: number): number {
  const short = Math.min(len, from + SHORT_STRING);
  let j = from;
  while (j < short) {
    const c = buf[j]!;
    if (c === QUOTE) return j;
    j += c === BACKSLASH ? 2 : 1;
  }
  if (j >= len) return -1;
  for (;;) {
    const q = buf.indexOf(QUOTE, j);
    if (q < 0 || q >= len) return -1;
    let slashes = 0;
    for (let k = q - 1; k >= from && buf[k] === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return q;
    j = q + 1;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Where the scan is at the levels the framer walks (deeper levels are JSON.parse's business). */
type Place =
  | 'top' //                between top-level values
  | 'top-array' //          inside a top-level array, between elements
  | 'object-key' //         inside a top-level object, before a key (or its end)
  | 'object-colon' //       after a key
  | 'object-value' //       after the colon
  | 'object-next' //        after a member: ',' or '}'
  | 'items' //              inside "items", between elements
  | 'unit'; //              inside a unit: only strings and brackets matter until it ends

export class JsonFramer {
  private buf: Buffer = EMPTY;
  /** Absolute offset of buf[0] in the input. */
  private base = 0;
  /** Scan position in buf. */
  private i = 0;
  private place: Place = 'top';
  /** Bracket depth inside the current unit (the framer's own levels are tracked by `place`). */
  private depth = 0;
  /** Inside a member name (the framer reads names itself; strings inside units are skipped). */
  private inString = false;
  /** Where the current unit or key starts in buf, or -1. */
  private start = -1;
  /** A scalar unit (number, true, false, null) is being read: it ends at a delimiter. */
  private scalar = false;
  /** The place to return to when the current unit ends. */
  private unitOf: 'top-array' | 'object-value' | 'items' = 'top-array';
  private needComma = false;
  /** A comma was just read: a value (or member) must follow, not the end of the container. */
  private afterComma = false;
  private key = '';
  private header: Record<string, unknown> = {};
  private hasItems = false;
  private itemIndex = 0;
  /** Units read but not parsed yet: consecutive elements of one array, parsed together (flush). */
  private pending: { start: number; end: number; line: number }[] = [];
  /** The frames of the current push. */
  private out: JsonFrame[] = [];
  /** Line counting: newlines are counted lazily up to the offsets that need a line number. */
  private countedTo = 0;
  private line = 1;
  private topLine = 1;
  /** The byte before the buffer (a newline before the first): where a line starts. */
  private lastByte = NEWLINE;
  /** The chunk ended inside a document marker: read on once more bytes arrive. */
  private markerCut = false;

  /** The bytes still needed, handed over so that the caller can read the next chunk right behind
   *  them in one buffer and push that: a large input is then never copied chunk by chunk. */
  detach(): Buffer {
    const kept = this.buf;
    this.buf = EMPTY;
    return kept;
  }

  /** Frames found in this chunk (which follows what was pushed before, or begins with what
   *  `detach` handed over); throws JsonSyntaxError on malformed input. */
  push(chunk: Buffer): JsonFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames = (this.out = []);
    this.scan();
    this.flush();
    this.discard();
    return frames;
  }

  /** Call at the end of input; throws if a value is left open. */
  end(): JsonFrame[] {
    const frames = (this.out = []);
    if (this.scalar) this.endScalar(this.buf.length);
    this.flush();
    if (this.inString || this.place !== 'top') throw this.error('unexpected end of input', this.base + this.buf.length);
    // Bytes left unread at the top: a document marker cut short, or anything else that is no value.
    const rest = this.buf.subarray(this.i);
    if (rest.some((b) => !isSpace(b))) {
      if (/^---\s*$/.test(rest.toString('utf8'))) return frames;
      throw this.error('expected a Kubernetes object or list (a JSON object or array)', this.base + this.i);
    }
    return frames;
  }

  private scan(): void {
    const buf = this.buf;
    const len = buf.length;
    let i = this.i;
    while (i < len) {
      if (this.inString) {
        const close = buf.indexOf(QUOTE, i);
        if (close < 0) {
          i = len;
          break;
        }
        let slashes = 0;
        for (let k = close - 1; k >= 0 && buf[k] === BACKSLASH; k--) slashes++;
        i = close + 1;
        if (slashes % 2 === 1) continue; // an escaped quote
        this.inString = false;
        this.afterString(i);
        continue;
      }
      const c = buf[i]!;
      if (this.scalar) {
        if (c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) {
          this.endScalar(i);
          continue; // the delimiter is read in its own right
        }
        i++;
        continue;
      }
      if (isSpace(c)) {
        i++;
        continue;
      }
      this.i = i;
      if (this.place !== 'unit') {
        i = this.between(c, i);
        if (this.markerCut) break; // a document marker the chunk does not finish
        continue;
      }
      const stop = this.scanUnit(i);
      if (stop === i) break; // a string goes on in the next chunk
      i = stop;
    }
    this.i = i;
  }

  /** Inside a unit only strings and the bracket depth matter: JSON.parse checks everything else
   *  (a slice it accepts has matching brackets, so nothing wrongly framed is ever accepted). Walked
   *  in one loop, a string at a time. Returns where it stopped: just past the unit's end, at the
   *  chunk's end, or at a string the chunk does not finish (re-read once more bytes arrive). */
  private scanUnit(from: number): number {
    const buf = this.buf;
    const len = buf.length;
    let depth = this.depth;
    let i = from;
    while (i < len) {
      const c = buf[i]!;
      if (c === QUOTE) {
        const j = stringEnd(buf, i + 1, len);
        if (j < 0) break;
        i = j + 1;
        if (depth === 0) return this.endUnit(i); // the unit is this string
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) {
        this.depth = 0;
        return this.endUnit(i + 1);
      }
      i++;
    }
    this.depth = depth;
    return i;
  }

  /** JSON documents in a YAML file, separated by YAML's "---" on a line of its own: JSON is YAML,
   *  so such a file is valid, and between two top-level values the marker is unambiguous. Returns
   *  past the marker, or `i` when the chunk ends inside it. */
  private documentMarker(i: number): number {
    const buf = this.buf;
    const lineStart = (i === 0 ? this.lastByte : buf[i - 1]) === NEWLINE;
    this.markerCut = i + 4 > buf.length;
    if (this.markerCut) return i;
    if (!lineStart || buf[i + 1] !== 0x2d || buf[i + 2] !== 0x2d || !isSpace(buf[i + 3]!)) {
      throw this.error('expected a Kubernetes object or list (a JSON object or array)', this.base + i);
    }
    return i + 3;
  }

  /** A byte at one of the framer's own levels. */
  private between(c: number, i: number): number {
    switch (this.place) {
      case 'top':
        if (c === 0x7b) {
          this.topLine = this.lineAt(this.base + i);
          this.header = {};
          this.hasItems = false;
          this.place = 'object-key';
          this.afterComma = false;
          return i + 1;
        }
        if (c === 0x5b) {
          this.place = 'top-array';
          this.needComma = false;
          this.afterComma = false;
          return i + 1;
        }
        if (c === 0xef && this.base + i === 0) return i + 3; // a UTF-8 byte order mark
        if (c === 0x2d) return this.documentMarker(i);
        throw this.error('expected a Kubernetes object or list (a JSON object or array)', this.base + i);
      case 'top-array':
      case 'items':
        if (c === 0x5d && !this.afterComma) {
          this.flush();
          this.place = this.place === 'items' ? 'object-next' : 'top';
          return i + 1;
        }
        return this.element(c, i, this.place);
      case 'object-key':
        if (c === 0x7d && !this.afterComma) return this.endTopObject(i);
        if (c === QUOTE) {
          this.afterComma = false;
          this.start = i;
          this.inString = true;
          return i + 1;
        }
        throw this.error('expected a member name', this.base + i);
      case 'object-colon':
        if (c !== 0x3a) throw this.error('expected ":"', this.base + i);
        this.place = 'object-value';
        return i + 1;
      case 'object-value':
        if (c === 0x5b && this.key === 'items') {
          this.hasItems = true;
          this.itemIndex = 0;
          this.needComma = false;
          this.afterComma = false;
          this.out.push({ type: 'list-start', header: { ...this.header }, line: this.topLine });
          this.place = 'items';
          return i + 1;
        }
        return this.beginUnit(c, i, 'object-value');
      case 'object-next':
        if (c === 0x2c) {
          this.place = 'object-key';
          this.afterComma = true;
          return i + 1;
        }
        if (c === 0x7d) return this.endTopObject(i);
        throw this.error('expected "," or "}"', this.base + i);
      default:
        throw this.error('internal framing state', this.base + i);
    }
  }

  /** Between elements of an array the framer walks: a comma, or the next element. */
  private element(c: number, i: number, of: 'top-array' | 'items'): number {
    if (c === 0x2c) {
      if (!this.needComma) throw this.error('unexpected ","', this.base + i);
      this.needComma = false;
      this.afterComma = true;
      return i + 1;
    }
    if (this.needComma) throw this.error('expected "," or "]"', this.base + i);
    this.afterComma = false;
    return this.beginUnit(c, i, of);
  }

  private beginUnit(c: number, i: number, of: 'top-array' | 'object-value' | 'items'): number {
    this.start = i;
    this.unitOf = of;
    this.place = 'unit';
    this.depth = 0;
    if (c === QUOTE) return i; // scanUnit reads the string
    if (c === 0x7d || c === 0x5d || c === 0x2c || c === 0x3a) throw this.error(`unexpected "${String.fromCharCode(c)}"`, this.base + i);
    if (c === 0x7b || c === 0x5b) this.depth = 1;
    else this.scalar = true;
    return i + 1;
  }

  private afterString(end: number): void {
    this.key = this.parse(this.start, end) as string;
    this.start = -1;
    this.place = 'object-colon';
  }

  private endScalar(end: number): void {
    this.scalar = false;
    this.endUnit(end);
  }

  /** Returns `end`, where scanning goes on. */
  private endUnit(end: number): number {
    const start = this.start;
    this.start = -1;
    if (this.unitOf === 'object-value') {
      const value = this.parse(start, end);
      // As JSON.parse does: a member named __proto__ is a plain member, not the object's prototype.
      Object.defineProperty(this.header, this.key, { value, enumerable: true, writable: true, configurable: true });
      this.place = 'object-next';
      return end;
    }
    this.pending.push({ start, end, line: this.lineAt(this.base + start) });
    this.place = this.unitOf;
    this.needComma = true;
    if (end - this.pending[0]!.start >= JsonFramer.BATCH) this.flush();
    return end;
  }

  /** Parses what is pending once it spans this many bytes: enough to make the per-call cost
   *  vanish, few enough that the raw objects die young (a whole chunk at once would outlive a
   *  garbage collection and cost more than it saves). */
  private static readonly BATCH = 256 * 1024;

  /** Parses the pending elements of an array in one JSON.parse: a string per element would be
   *  half a gigabyte of garbage in a large dump. Only a batch that fails is parsed element by
   *  element, to name the element and line that is wrong. */
  private flush(): void {
    const units = this.pending;
    if (!units.length) return;
    this.pending = [];
    let values: unknown[];
    try {
      values = JSON.parse(`[${this.buf.toString('utf8', units[0]!.start, units.at(-1)!.end)}]`) as unknown[];
    } catch {
      values = units.map((u) => this.parse(u.start, u.end));
    }
    const items = this.unitOf === 'items';
    units.forEach((u, k) => this.out.push(items ? { type: 'item', value: values[k], line: u.line, index: this.itemIndex++ } : { type: 'value', value: values[k], line: u.line }));
  }

  private endTopObject(i: number): number {
    this.out.push(this.hasItems ? { type: 'list-end', header: this.header, line: this.topLine } : { type: 'value', value: this.header, line: this.topLine });
    this.place = 'top';
    return i + 1;
  }

  private parse(start: number, end: number): unknown {
    try {
      return JSON.parse(this.buf.toString('utf8', start, end));
    } catch (err) {
      const message = (err as Error).message;
      const at = /position (\d+)/.exec(message);
      throw this.error(message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, ''), this.base + start + (at ? Number(at[1]) : 0));
    }
  }

  /** Drops the bytes no unit, key or line count still needs. */
  private discard(): void {
    const keep = this.start >= 0 ? this.start : this.i;
    if (keep === 0) return;
    this.lineAt(this.base + keep);
    this.lastByte = this.buf[keep - 1]!;
    this.buf = this.buf.subarray(keep);
    this.base += keep;
    this.i -= keep;
    if (this.start >= 0) this.start -= keep;
  }

  /** The line of an absolute offset at or after the last one asked for (offsets only grow). */
  private lineAt(offset: number): number {
    let from = this.countedTo - this.base;
    const to = offset - this.base;
    while (from < to) {
      const nl = this.buf.indexOf(NEWLINE, from);
      if (nl < 0 || nl >= to) break;
      this.line++;
      from = nl + 1;
    }
    this.countedTo = Math.max(this.countedTo, offset);
    return this.line;
  }

  private error(message: string, offset: number): JsonSyntaxError {
    return new JsonSyntaxError(message, offset >= this.countedTo ? this.lineAt(offset) : this.line);
  }
}
