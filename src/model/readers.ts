// Reads one input file as a stream of units, never the whole file at once: JSON through the framer
// (json-frames.ts), YAML one document at a time through the yaml library's streaming parser. A
// syntax error stops the load with the file and line; what the units mean is offline.ts's business.

import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Composer, isMap, isSeq, LineCounter, Parser, visit, type Document } from 'yaml';
import { firstLine, InputError } from './errors.ts';
import { JsonFramer, JsonSyntaxError, type JsonFrame } from './json-frames.ts';

/** Big reads keep the per-chunk overhead negligible; one chunk is held at a time. */
const CHUNK = 8 << 20;

/** A unit of input: JSON frames as they are, and each YAML document as one `value`. YAML items of
 *  a List carry their own lines. */
export type Unit = JsonFrame | { type: 'value'; value: unknown; line: number; itemLines?: number[] };

export function displayName(path: string): string {
  return path === '-' ? '(stdin)' : path;
}

/** JSON when the content says so ('{"' or '[' first), else YAML: a YAML flow mapping ({kind: Pod})
 *  starts with '{' too, but never with '{"'. */
function looksLikeJson(head: string): boolean {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  return /^\{\s*("|\}|$)/.test(text) || /^\[/.test(text);
}

/** Batches of units, one batch per chunk read: a large file is hundreds of thousands of units,
 *  and a promise per unit would cost more than parsing them. */
export async function* readUnits(path: string): AsyncGenerator<Unit[]> {
  try {
    yield* path === '-' ? readStream(process.stdin) : readFile(path);
  } catch (err) {
    throw asInputError(path, err);
  }
}

type Reader = [(chunk: Buffer) => Unit[], () => Unit[]];

function jsonReader(framer = new JsonFramer()): Reader {
  return [(chunk) => framer.push(chunk), () => framer.end()];
}

function readerFor(head: Buffer): Reader {
  return looksLikeJson(head.toString('utf8', 0, 64)) ? jsonReader() : yamlReader();
}

async function* readStream(stream: AsyncIterable<Buffer>): AsyncGenerator<Unit[]> {
  let reader: Reader | undefined;
  for await (const chunk of stream) {
    reader ??= readerFor(chunk);
    yield reader[0](chunk);
  }
  if (reader) yield reader[1]();
}

/** A file is read chunk by chunk, each chunk right behind the bytes the JSON framer still holds
 *  (see JsonFramer.detach), so a large dump is never copied chunk by chunk. The reads are
 *  synchronous: the units are handled one chunk after the other anyway, and an asynchronous read
 *  left the process idle between chunks (0.7 s of 10 at 150,000 pods). */
function* readFile(path: string): Generator<Unit[]> {
  const file = openSync(path, 'r');
  try {
    let framer: JsonFramer | undefined;
    let reader: Reader | undefined;
    for (;;) {
      const kept = framer ? framer.detach() : Buffer.alloc(0);
      const buffer = Buffer.allocUnsafe(kept.length + CHUNK);
      kept.copy(buffer);
      const bytesRead = readSync(file, buffer, kept.length, CHUNK, null);
      const chunk = buffer.subarray(0, kept.length + bytesRead);
      if (!reader) {
        framer = looksLikeJson(chunk.toString('utf8', 0, 64)) ? new JsonFramer() : undefined;
        reader = framer ? jsonReader(framer) : yamlReader();
      }
      if (bytesRead === 0) {
        if (framer) framer.push(chunk); // what was held back, for end() to judge
        yield reader[1]();
        return;
      }
      yield reader[0](chunk);
    }
  } finally {
    closeSync(file);
  }
}

/** The document as plain values. Aliases are where a valid-looking document still fails: one that
 *  names no anchor, so many that expanding them would exhaust memory (a "billion laughs"), or one
 *  inside the node it names (a List that contains itself). And an alias is the same object in two
 *  places, which admission would prune twice, by two shapes: a document with aliases is copied so
 *  that every place holds its own. */
function documentValue(doc: Document.Parsed, line: number): unknown {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    if (isStackOverflow(err)) throw new YamlSyntaxError('nested too deeply', line);
    if (err instanceof ReferenceError || err instanceof TypeError) throw new YamlSyntaxError(firstLine(err), line);
    throw err;
  }
  if (!hasAlias(doc)) return value;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch (err) {
    if (isStackOverflow(err)) throw new YamlSyntaxError('nested too deeply', line);
    throw new YamlSyntaxError('an alias refers to a node that contains it', line);
  }
}

function hasAlias(doc: Document.Parsed): boolean {
  let found = false;
  visit(doc, { Alias: () => ((found = true), visit.BREAK) });
  return found;
}

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

class YamlSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

function asInputError(path: string, err: unknown): Error {
  const name = displayName(path);
  if (err instanceof JsonSyntaxError) return new InputError(`${name}:${err.line}: malformed JSON: ${err.message}`);
  if (err instanceof YamlSyntaxError) return new InputError(`${name}:${err.line}: malformed YAML: ${err.message}`);
  if (isStackOverflow(err)) return new InputError(`${name}: malformed input: nested too deeply`);
  const code = (err as NodeJS.ErrnoException).code;
  if (code) return new InputError(`${name}: cannot read: ${code}`);
  return err as Error;
}

function yamlReader(): Reader {
  const lines = new LineCounter();
  const parser = new Parser(lines.addNewLine);
  // logLevel 'error': the library would otherwise print its warnings (a mapping used as a key)
  // as process warnings; what matters about a document is said in notices.
  const composer = new Composer({ uniqueKeys: false, logLevel: 'error' });
  const decoder = new StringDecoder('utf8');
  const documents = (tokens: Iterable<Parameters<Composer['next']>[0]>, end: boolean): Unit[] => {
    const units: Unit[] = [];
    for (const token of tokens) for (const doc of composer.next(token)) units.push(yamlUnit(doc, lines));
    if (end) for (const doc of composer.end()) units.push(yamlUnit(doc, lines));
    return units;
  };
  return [
    (chunk) => documents(parser.parse(decoder.write(chunk), true), false),
    () => documents(parser.parse(decoder.end(), false), true),
  ];
}

function yamlUnit(doc: Document.Parsed, lines: LineCounter): Unit {
  const error = doc.errors[0];
  if (error) {
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new YamlSyntaxError(/call stack/i.test(message) ? 'nested too deeply' : message, lines.linePos(error.pos[0]).line);
  }
  const line = doc.contents?.range ? lines.linePos(doc.contents.range[0]).line : 1;
  const value = documentValue(doc, line);
  // Items of a List keep their own line, for the notice that may skip one of them.
  const items = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
  const itemLines = isSeq(items) ? items.items.map((n) => ((n as { range?: number[] }).range ? lines.linePos((n as { range: number[] }).range[0]!).line : line)) : undefined;
  return { type: 'value', value, line, itemLines };
}
