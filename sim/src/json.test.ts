import { describe, expect, it } from 'vitest';
import { jsonNumber, parseJsonExact, RawJsonNumber, stringifyJsonExact } from './json';

describe('the simulator’s exact JSON', () => {
  it('keeps integers beyond 2^53 exact (delivery-platforms.md pitfall 1: 100452735447201579)', () => {
    expect(parseJsonExact('{"userId":100452735447201579,"n":12,"f":1.5}')).toEqual({
      userId: '100452735447201579',
      n: 12,
      f: 1.5,
    });
    const raw = parseJsonExact('[5301890193521352344]', { bigIntegers: 'raw' }) as unknown[];
    expect(raw[0]).toBeInstanceOf(RawJsonNumber);
    expect(stringifyJsonExact(raw)).toBe('[5301890193521352344]');
  });

  it('writes what it read back in the order received, integer-like keys included', () => {
    const text = '{"stockMap":{"20":{"stock":1},"3":{"stock":2}},"b":null,"a":"红烧/牛肉面"}';
    const parsed = parseJsonExact(text) as Record<string, unknown>;
    expect(Object.keys(parsed.stockMap as object)).toEqual(['3', '20']);
    expect(stringifyJsonExact(parsed)).toBe(text);
    parsed.c = 1;
    delete parsed.b;
    expect(stringifyJsonExact(parsed)).toBe('{"stockMap":{"20":{"stock":1},"3":{"stock":2}},"a":"红烧/牛肉面","c":1}');
  });

  it('writes compact JSON: no unicode or slash escaping, bare ids, nulls left out on request', () => {
    const value = { orderId: jsonNumber('27061900338318741'), big: 7n, name: '丽华/快餐', gone: undefined, none: null };
    expect(stringifyJsonExact(value)).toBe('{"orderId":27061900338318741,"big":7,"name":"丽华/快餐","none":null}');
    expect(stringifyJsonExact(value, { omitNull: true })).toBe(
      '{"orderId":27061900338318741,"big":7,"name":"丽华/快餐"}',
    );
    expect(() => jsonNumber(2 ** 60)).toThrow(TypeError);
    expect(() => stringifyJsonExact(Number.NaN)).toThrow(TypeError);
  });

  it('refuses what JSON.parse refuses and keeps __proto__ an own member', () => {
    for (const bad of ['', '{', '{"a":1,}', '[1 2]', '"\u0001"', '{"a":1} x', '01', '"\\x"']) {
      expect(() => parseJsonExact(bad), bad).toThrow(SyntaxError);
    }
    const parsed = parseJsonExact('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(parseJsonExact(' "a\\u00e9\\n" ')).toBe('aé\n');
  });
});
