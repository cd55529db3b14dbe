/**
 * JSON that keeps platform ids exact.
 *
 * Meituan order ids (`"orderId":5301890193521352344`) and Ele.me `userId`s arrive as bare JSON
 * numbers above 2^53, which `JSON.parse` silently rounds (…352344 becomes …353000), breaking both the id
 * and every signature computed over it. `parseJsonExact` keeps such integers as their exact digit
 * strings. `stringifyJsonExact` writes compact JSON the way the platforms sign it (no spaces, no
 * escaping of non-ASCII or `/`: Ele.me's PHP/Python SDKs and Meituan's Gson with HTML escaping off),
 * and can emit an id string as a bare number (`jsonNumber('27061900338318741')`), which Meituan's
 * `Long` fields require.
 */

/** A JSON number given by its exact text; written bare by `stringifyJsonExact`. */
export class RawJsonNumber {
  constructor(readonly text: string) {
    if (!NUMBER.test(text)) throw new TypeError(`not a JSON number: ${JSON.stringify(text)}`);
  }
  toString(): string {
    return this.text;
  }
}

/** Marks digits (or a bigint) to be written as a bare JSON number, e.g. a Meituan `Long` order id. */
export function jsonNumber(value: string | bigint | number): RawJsonNumber {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new TypeError(`${value} is not exact as a JS number; pass the id as a string`);
  }
  return new RawJsonNumber(String(value));
}

/**
 * The order keys were sent in, kept on parsed objects whose key order JS would otherwise change
 * (integer-like keys such as Ele.me `stockMap` spec ids are enumerated first, ascending). Signing
 * re-serialises nested values "in the order sent", so the order must survive a parse.
 */
const KEY_ORDER = Symbol('jsonKeyOrder');

type Keyed = Record<string, unknown> & { [KEY_ORDER]?: string[] };

export interface ParseOptions {
  /**
   * How integers outside ±(2^53−1) come back: `'string'` (default) as their exact digits, or
   * `'raw'` as `RawJsonNumber`, so `stringifyJsonExact` writes them back as numbers.
   */
  bigIntegers?: 'string' | 'raw';
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NUMBER_AT = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const MAX_DEPTH = 500;

/** Parses strict JSON (RFC 8259) like `JSON.parse`, but keeps big integers exact. */
export function parseJsonExact(text: string, options: ParseOptions = {}): unknown {
  const parser = new Parser(text, options.bigIntegers ?? 'string');
  parser.skipSpace();
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.pos !== text.length) parser.fail('unexpected data after the JSON value');
  return value;
}

class Parser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly big: 'string' | 'raw',
  ) {}

  fail(message: string): never {
    throw new SyntaxError(`${message} at position ${this.pos}`);
  }

  skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('JSON nested too deeply');
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail(c === undefined ? 'unexpected end of JSON' : `unexpected ${JSON.stringify(c)}`);
  }

  private object(depth: number): Keyed {
    const out: Keyed = {};
    const order: string[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.skipSpace();
      const value = this.value(depth + 1);
      if (!Object.hasOwn(out, key)) order.push(key);
      // `__proto__` must become an own property, as with JSON.parse, never the prototype.
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === '}') break;
      if (next !== ',') this.fail("expected ',' or '}'");
      this.skipSpace();
    }
    const natural = Object.keys(out);
    if (natural.some((k, i) => k !== order[i])) {
      Object.defineProperty(out, KEY_ORDER, { value: order, enumerable: false });
    }
    return out;
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === ']') return out;
      if (next !== ',') this.fail("expected ',' or ']'");
      this.skipSpace();
    }
  }

  private number(): number | string | RawJsonNumber {
    NUMBER_AT.lastIndex = this.pos;
    const match = NUMBER_AT.exec(this.text);
    if (!match) return this.fail('malformed number');
    this.pos += match[0].length;
    const value = Number(match[0]);
    const integer = match[1] === undefined && match[2] === undefined;
    if (integer && !Number.isSafeInteger(value)) {
      return this.big === 'raw' ? new RawJsonNumber(match[0]) : match[0];
    }
    return value;
  }

  string(): string {
    const start = ++this.pos;
    let out = '';
    let chunk = start;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) {
        out += this.text.slice(chunk, this.pos++);
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.text.slice(chunk, this.pos);
      const e = this.text[this.pos + 1];
      const simple = e === undefined ? undefined : ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        this.pos += 2;
      } else if (e === 'u') {
        const hex = this.text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.pos += 6;
      } else {
        this.fail('bad escape');
      }
      chunk = this.pos;
    }
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export interface StringifyOptions {
  /** Leave out object members whose value is null, as Gson does for Meituan `biz` by default. */
  omitNull?: boolean;
}

/**
 * Compact JSON with no escaping of non-ASCII or `/`. Object members keep the order they were
 * built (or parsed) in; `undefined` members are left out; `RawJsonNumber` and bigint are written
 * as bare numbers. Throws on values JSON cannot carry exactly (NaN, Infinity, cycles).
 */
export function stringifyJsonExact(value: unknown, options: StringifyOptions = {}): string {
  const out = write(value, options, new Set());
  if (out === undefined) throw new TypeError(`cannot write ${typeof value} as JSON`);
  return out;
}

function write(value: unknown, options: StringifyOptions, seen: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      // JSON.stringify escapes only `"`, `\`, control characters and lone surrogates: exactly
      // the compact, unescaped form the platforms sign.
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} cannot be written as JSON`);
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value instanceof RawJsonNumber) return value.text;
  const candidate = value as { toJSON?: () => unknown };
  if (typeof candidate.toJSON === 'function') return write(candidate.toJSON(), options, seen);
  if (seen.has(value)) throw new TypeError('cannot write a cyclic structure as JSON');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item) => write(item, options, seen) ?? 'null').join(',')}]`;
    }
    const record = value as Keyed;
    const parts: string[] = [];
    for (const key of memberOrder(record)) {
      const member = record[key];
      if (member === null && options.omitNull) continue;
      const text = write(member, options, seen);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

/** Parsed order first (members still present), then members added since, in insertion order. */
function memberOrder(record: Keyed): string[] {
  const keys = Object.keys(record);
  const parsed = record[KEY_ORDER];
  if (!parsed) return keys;
  const present = new Set(keys);
  const order = parsed.filter((k) => present.has(k));
  const listed = new Set(order);
  for (const key of keys) if (!listed.has(key)) order.push(key);
  return order;
}
