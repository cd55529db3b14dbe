/**
 * JSON as the platforms write it, the simulators' own implementation (spec delivery-platforms.md
 * pitfalls 1–2, meituan-open-cater.md §2): integers beyond 2^53 (Meituan order ids, Ele.me
 * `userId`s) survive a parse as their exact digits, objects remember the key order they arrived in
 * (Ele.me signs nested values "in the order used in the body", and JS would move integer-like keys
 * first), and output is compact with no escaping of non-ASCII or `/`.
 */

/** A JSON number written exactly as its digits (e.g. a Meituan `Long` order id). */
export class RawJsonNumber {
  constructor(readonly text: string) {
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(text)) {
      throw new TypeError(`not a JSON number: ${text}`);
    }
  }
  toString(): string {
    return this.text;
  }
}

/** Digits to write as a bare JSON number; a JS number only when it is exact. */
export function jsonNumber(value: string | bigint | number): RawJsonNumber {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new TypeError(`${value} is not an exact integer; give the digits as a string`);
  }
  return new RawJsonNumber(String(value));
}

/** Key order as received, for parsed objects whose own enumeration order differs. */
const receivedOrder = new WeakMap<object, string[]>();

export interface ParseOptions {
  /** Unsafe integers as `'string'` digits (default) or as `'raw'` `RawJsonNumber`s. */
  bigIntegers?: 'string' | 'raw';
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const UNESCAPE: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const NUMBER_TOKEN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
const DEPTH_LIMIT = 512;

/** Strict JSON (RFC 8259), with exact big integers and the received key order kept. */
export function parseJsonExact(source: string, options: ParseOptions = {}): unknown {
  let at = 0;
  const big = options.bigIntegers ?? 'string';
  const fail = (why: string): never => {
    throw new SyntaxError(`${why} at offset ${at}`);
  };
  const space = () => {
    while (at < source.length && WHITESPACE.has(source[at] as string)) at++;
  };
  const expect = (c: string) => {
    if (source[at] !== c) fail(`expected ${c}`);
    at++;
  };
  const readString = (): string => {
    expect('"');
    const parts: string[] = [];
    for (;;) {
      const c = source[at];
      if (c === undefined) return fail('unterminated string');
      if (c === '"') {
        at++;
        return parts.join('');
      }
      if (c < ' ') fail('raw control character in a string');
      if (c !== '\\') {
        parts.push(c);
        at++;
        continue;
      }
      const e = source[at + 1] ?? '';
      if (e === 'u') {
        const hex = source.slice(at + 2, at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad unicode escape');
        parts.push(String.fromCharCode(Number.parseInt(hex, 16)));
        at += 6;
      } else {
        const plain = UNESCAPE[e];
        if (plain === undefined) fail('bad escape');
        parts.push(plain as string);
        at += 2;
      }
    }
  };
  const readValue = (depth: number): unknown => {
    if (depth > DEPTH_LIMIT) fail('nested too deeply');
    space();
    const c = source[at];
    if (c === '"') return readString();
    if (c === '{') {
      at++;
      const object: Record<string, unknown> = {};
      const order: string[] = [];
      space();
      if (source[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        space();
        const key = readString();
        space();
        expect(':');
        const value = readValue(depth + 1);
        if (!Object.hasOwn(object, key)) order.push(key);
        // An own property even for `__proto__`, as JSON.parse does.
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        space();
        if (source[at] === ',') {
          at++;
          continue;
        }
        expect('}');
        break;
      }
      if (Object.keys(object).join('\u0000') !== order.join('\u0000')) receivedOrder.set(object, order);
      return object;
    }
    if (c === '[') {
      at++;
      const list: unknown[] = [];
      space();
      if (source[at] === ']') {
        at++;
        return list;
      }
      for (;;) {
        list.push(readValue(depth + 1));
        space();
        if (source[at] === ',') {
          at++;
          continue;
        }
        expect(']');
        return list;
      }
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (source.startsWith(word, at)) {
        at += word.length;
        return value;
      }
    }
    NUMBER_TOKEN.lastIndex = at;
    const token = NUMBER_TOKEN.exec(source)?.[0];
    if (!token) return fail(c === undefined ? 'unexpected end' : `unexpected ${c}`);
    at += token.length;
    const value = Number(token);
    if (/^-?[0-9]+$/.test(token) && !Number.isSafeInteger(value)) {
      return big === 'raw' ? new RawJsonNumber(token) : token;
    }
    return value;
  };
  const result = readValue(0);
  space();
  if (at !== source.length) fail('trailing data');
  return result;
}

export interface StringifyOptions {
  /** Leave out null members (Gson's default, which Meituan's `biz` follows). */
  omitNull?: boolean;
}

/**
 * Compact JSON without escaping non-ASCII or `/` (JSON.stringify's string form does exactly
 * that); members in received order, then any added later; `undefined` members left out;
 * `RawJsonNumber` and bigint bare. Throws on NaN, Infinity and cycles.
 */
export function stringifyJsonExact(value: unknown, options: StringifyOptions = {}): string {
  const open = new Set<object>();
  const emit = (v: unknown): string | undefined => {
    if (v === null) return 'null';
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new TypeError(`${v} has no JSON form`);
      return JSON.stringify(v);
    }
    if (typeof v === 'bigint') return v.toString();
    if (typeof v !== 'object') return undefined;
    if (v instanceof RawJsonNumber) return v.text;
    const withToJson = v as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return emit(withToJson.toJSON());
    if (open.has(v)) throw new TypeError('cyclic structure');
    open.add(v);
    try {
      if (Array.isArray(v)) return `[${v.map((item) => emit(item) ?? 'null').join(',')}]`;
      const record = v as Record<string, unknown>;
      const members: string[] = [];
      for (const key of keysInOrder(record)) {
        if (record[key] === null && options.omitNull) continue;
        const text = emit(record[key]);
        if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
      }
      return `{${members.join(',')}}`;
    } finally {
      open.delete(v);
    }
  };
  const text = emit(value);
  if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
  return text;
}

function keysInOrder(record: Record<string, unknown>): string[] {
  const own = Object.keys(record);
  const received = receivedOrder.get(record);
  if (!received) return own;
  const present = new Set(own);
  const kept = received.filter((k) => present.has(k));
  const known = new Set(kept);
  return [...kept, ...own.filter((k) => !known.has(k))];
}
