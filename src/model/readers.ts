// Reads one input file as a stream of units, never the whole file at once: JSON through the framer
// (json-frames.ts), YAML one document at a time through the yaml library's streaming parser. A
// syntax error stops the load with the file and line; what the units mean is offline.ts's business.

import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Composer, isMap, isSeq, LineCounter, Parser, type Document } from 'yaml';
import { InputError } from './errors.ts';
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

function openStream(path: string): AsyncIterable<Buffer> {
  return path === '-' ? process.stdin : createReadStream(path, { highWaterMark: CHUNK });
}

export async function* readUnits(path: string): AsyncGenerator<Unit> {
  let reader: ((chunk: Buffer) => Unit[]) | undefined;
  let finish: (() => Unit[]) | undefined;
  try {
    for await (const chunk of openStream(path)) {
      if (!reader) [reader, finish] = looksLikeJson(chunk.toString('utf8', 0, 64)) ? jsonReader() : yamlReader();
      yield* reader(chunk as Buffer);
    }
    if (finish) yield* finish();
  } catch (err) {
    throw asInputError(path, err);
  }
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
  const code = (err as NodeJS.ErrnoException).code;
  if (code) return new InputError(`${name}: cannot read: ${code}`);
  return err as Error;
}

function jsonReader(): [(chunk: Buffer) => Unit[], () => Unit[]] {
  const framer = new JsonFramer();
  return [(chunk) => framer.push(chunk), () => framer.end()];
}

function yamlReader(): [(chunk: Buffer) => Unit[], () => Unit[]] {
  const lines = new LineCounter();
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer({ uniqueKeys: false });
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
    throw new YamlSyntaxError(error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), lines.linePos(error.pos[0]).line);
  }
  const line = doc.contents?.range ? lines.linePos(doc.contents.range[0]).line : 1;
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  // Items of a List keep their own line, for the notice that may skip one of them.
  const items = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
  const itemLines = isSeq(items) ? items.items.map((n) => ((n as { range?: number[] }).range ? lines.linePos((n as { range: number[] }).range[0]!).line : line)) : undefined;
  return { type: 'value', value, line, itemLines };
}
