import { describe, expect, it } from 'vitest';
import { jsonNumber, parseJsonExact, RawJsonNumber, stringifyJsonExact } from './json-exact';

describe('parseJsonExact', () => {
  it('keeps a Meituan order id above 2^53 as its exact digits, where JSON.parse rounds it', () => {
    // The id from a captured Meituan test push (spec meituan-open-cater.md §6b).
    const text = '{"orderId":5301890193521352344,"orderIdView":5301890193521352344,"status":2}';
    expect(String((JSON.parse(text) as { orderId: number }).orderId)).toBe('5301890193521353000');
    expect(parseJsonExact(text)).toEqual({
      orderId: '5301890193521352344',
      orderIdView: '5301890193521352344',
      status: 2,
    });
  });

  it('keeps an Ele.me push userId exact (the digits its signature covers)', () => {
    // The userId of the published push example, dianj.com.cn/News/Detail/21265 (spec pitfall 1).
    const push = parseJsonExact('{"requestId":"1508323693997357","type":100,"userId":100452735447201579}');
    expect(push).toEqual({ requestId: '1508323693997357', type: 100, userId: '100452735447201579' });
  });

  it('leaves safe integers, negatives, fractions and exponents as numbers', () => {
    expect(parseJsonExact('[9007199254740991,-9007199254740991,-9007199254740993,1.5,2e3,0,-0]')).toEqual([
      9007199254740991,
      -9007199254740991,
      '-9007199254740993',
      1.5,
      2000,
      0,
      -0,
    ]);
  });

  it('can give big integers back as raw numbers, so they are written back bare', () => {
    const value = parseJsonExact('{"orderId":27061900338318741}', { bigIntegers: 'raw' }) as { orderId: unknown };
    expect(value.orderId).toBeInstanceOf(RawJsonNumber);
    expect(stringifyJsonExact(value)).toBe('{"orderId":27061900338318741}');
  });

  it('decodes every string escape as JSON.parse does', () => {
    const text = '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u4e2d\\ud83d\\ude00"';
    expect(parseJsonExact(text)).toBe(JSON.parse(text));
  });

  it('agrees with JSON.parse on ordinary documents', () => {
    const text = ' { "a" : [ true , false , null , { } , [ ] , "x" ] , "b" : { "c" : -1.25e-3 } } ';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
  });

  it('makes __proto__ an own property, never the prototype', () => {
    const value = parseJsonExact('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['', 'end of JSON'],
    ['{"a":1,}', 'expected a string key'],
    ['[1,]', 'unexpected'],
    ['01', 'unexpected data'],
    ['"\u0001"', 'control character'],
    ['"abc', 'unterminated'],
    ['{"a" 1}', "expected ':'"],
    ['"\\x"', 'bad escape'],
    ['nul', 'unexpected'],
    ['[1] [2]', 'unexpected data'],
  ])('refuses malformed JSON %j', (text, message) => {
    expect(() => parseJsonExact(text)).toThrow(message);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('refuses documents nested deeper than 500 levels instead of overflowing the stack', () => {
    expect(() => parseJsonExact('['.repeat(10_000))).toThrow('nested too deeply');
  });
});

describe('stringifyJsonExact', () => {
  it('writes a Meituan Long id from its string as a bare number, and a String id quoted', () => {
    // /waimai/order/confirm (orderId Long) vs /waimai/order/preparationMealComplete (orderId String),
    // spec meituan-open-cater.md §6: the two bizes differ and sign differently.
    expect(stringifyJsonExact({ orderId: jsonNumber('27061900338318741') })).toBe('{"orderId":27061900338318741}');
    expect(stringifyJsonExact({ orderId: '27061900338318741' })).toBe('{"orderId":"27061900338318741"}');
    expect(stringifyJsonExact({ id: 12n ** 20n })).toBe(`{"id":${12n ** 20n}}`);
  });

  it('escapes neither non-ASCII nor slashes, and adds no spaces (Ele.me signing form)', () => {
    expect(stringifyJsonExact({ name: '红烧牛肉面', url: 'http://a/b', nested: [1, { x: 'y' }] })).toBe(
      '{"name":"红烧牛肉面","url":"http://a/b","nested":[1,{"x":"y"}]}',
    );
  });

  it('still escapes quotes, backslashes and control characters', () => {
    expect(stringifyJsonExact('a"b\\c\nd\u0001')).toBe('"a\\"b\\\\c\\nd\\u0001"');
  });

  it('keeps the key order of a parsed object even for integer-like keys JS would reorder', () => {
    const text = '{"stockMap":{"900":1,"20":0,"b":2,"3":5}}';
    const parsed = parseJsonExact(text) as { stockMap: Record<string, number> };
    expect(Object.keys(parsed.stockMap)).toEqual(['3', '20', '900', 'b']);
    expect(stringifyJsonExact(parsed)).toBe(text);
  });

  it('writes members added to or removed from a parsed object after the parse', () => {
    const parsed = parseJsonExact('{"20":1,"3":2,"a":3}') as Record<string, unknown>;
    parsed.b = 4;
    delete parsed['3'];
    expect(stringifyJsonExact(parsed)).toBe('{"20":1,"a":3,"b":4}');
  });

  it('leaves out undefined members, and null ones when asked (Gson omits null fields)', () => {
    expect(stringifyJsonExact({ a: undefined, b: null, c: 1 })).toBe('{"b":null,"c":1}');
    expect(stringifyJsonExact({ a: undefined, b: null, c: 1 }, { omitNull: true })).toBe('{"c":1}');
    expect(stringifyJsonExact([undefined, null])).toBe('[null,null]');
  });

  it('refuses what JSON cannot carry exactly', () => {
    expect(() => stringifyJsonExact(Number.NaN)).toThrow();
    expect(() => stringifyJsonExact(undefined)).toThrow();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stringifyJsonExact(cyclic)).toThrow('cyclic');
    expect(() => jsonNumber(2 ** 60)).toThrow('not exact');
    expect(() => jsonNumber('12a')).toThrow('not a JSON number');
  });

  it('round-trips ids above 2^53 exactly through parse and stringify', () => {
    const text = '{"orderId":5301890193521352344,"userId":100452735447201579,"list":[27061900338318741]}';
    expect(stringifyJsonExact(parseJsonExact(text, { bigIntegers: 'raw' }))).toBe(text);
  });
});
