import fc from 'fast-check';

/** Strings an attacker tries in any field: injections, traversal, unicode edge cases, huge ids. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  "' OR '1'='1' --",
  '"; DROP TABLE orders; --',
  '1; SELECT SLEEP(5)',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '$' + '{7*7}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '\uFEFF',
  '\uD800',
  '\u202E\u202D',
  '𠮷野家🍜',
  'ｅｌｅｍｅ',
  'e\u0301',
  'a'.repeat(5000),
  '9007199254740993',
  '18446744073709551616',
  '-1',
  '0.5',
  '1e309',
  'NaN',
  'Infinity',
  '0x1F',
  'null',
  'true',
  '01J0000000000000000000000Z',
  '00000000000000000000000000',
] as const;

/** Numbers that break money and quantities: negative, fractional, beyond 2^53, non-finite as text. */
export const HOSTILE_NUMBERS = [
  -1,
  -0,
  0.5,
  0.001,
  19.999,
  -100,
  1e15,
  1e20,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e308,
  Number.MIN_VALUE,
] as const;

export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileLeaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 8 })), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/** Bodies that are not JSON at all, or not quite. */
export const MALFORMED_JSON = [
  '{',
  '{"a":',
  '[1,2',
  "{'a':1}",
  '{"a":1,}',
  'undefined',
  'NaN',
  '\u0000',
  '\uFEFF{}',
  '{"a":"\\ud800"}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '1e999999',
  '{"orderId":123456789012345678901234567890,"quantity":-0.5,"price":1e400}',
  'null',
  '[]',
  '"text"',
  '123',
  'true',
] as const;

export interface HostileBody {
  contentType: string | undefined;
  body: string | Buffer | undefined;
}

/**
 * A request body made to be refused: malformed JSON, the wrong type at the top, the schema's own
 * field names filled with hostile values, broken encodings, and the wrong or no content type.
 */
export function hostileBody(fieldNames: string[], kind: 'json' | 'form'): fc.Arbitrary<HostileBody> {
  const mediaType = kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  const shaped =
    fieldNames.length === 0
      ? hostileValue
      : fc
          .record(Object.fromEntries(fieldNames.map((name) => [name, hostileValue])), { requiredKeys: [] })
          .map((o) => ({ ...o }));
  const json = fc.oneof(
    fc.constantFrom(...MALFORMED_JSON),
    hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
    shaped.map((v) => JSON.stringify(v) ?? 'null'),
  );
  const form = fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...fieldNames, 'x'), fc.string()), fc.constantFrom(...HOSTILE_STRINGS)), {
      maxLength: 5,
    })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  const malformedForm = fc.constantFrom('a=%ZZ', '%', '&&&=&', 'a=1&a=2&a[]=3');
  return fc.oneof(
    { arbitrary: json.map((body) => ({ contentType: mediaType, body })), weight: 6 },
    {
      arbitrary: (kind === 'form' ? fc.oneof(form, malformedForm) : json).map((body) => ({
        contentType: mediaType,
        body,
      })),
      weight: 2,
    },
    {
      arbitrary: fc.constantFrom<HostileBody>(
        { contentType: mediaType, body: Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]) },
        { contentType: mediaType, body: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) },
        { contentType: `${mediaType}; charset=utf-16`, body: Buffer.from('{"a":1}', 'utf16le') },
        { contentType: 'text/plain', body: '{}' },
        {
          contentType: 'multipart/form-data; boundary=x',
          body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
        },
        {
          contentType: 'application/xml',
          body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        },
        { contentType: undefined, body: 'garbage' },
      ),
      weight: 2,
    },
  );
}
