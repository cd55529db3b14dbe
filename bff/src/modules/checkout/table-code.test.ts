import { describe, expect, it } from 'vitest';
import { TableCodes } from './table-code';

describe('dine-in table codes', () => {
  const codes = new TableCodes(Buffer.alloc(32, 7));

  it('fit in a mini-program code’s 32-character scene and name their store and table', () => {
    const code = codes.make('SH001', 'A12');
    expect(code.length).toBeLessThanOrEqual(32);
    expect(code).toMatch(/^[0-9A-Za-z!#$&'()*+,/:;=?@._~-]+$/);
    expect(codes.parse(code)).toEqual({ storeCode: 'SH001', tableNo: 'A12' });
  });

  it('refuse a table number changed by hand, or a code made under another key', () => {
    const code = codes.make('SH001', '12');
    expect(codes.parse(code.replace('.12.', '.13.'))).toBeNull();
    expect(new TableCodes(Buffer.alloc(32, 8)).parse(code)).toBeNull();
    expect(codes.parse('SH001.12')).toBeNull();
  });
});
