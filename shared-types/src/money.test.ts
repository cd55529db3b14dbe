import { describe, expect, it } from 'vitest';
import { applyBasisPoints, fenToYuan, formatFen, yuanToFen } from './money';

describe('yuanToFen', () => {
  it('converts platform yuan to fen without float drift', () => {
    expect(yuanToFen(19.9)).toBe(1990);
    expect(yuanToFen(0.07)).toBe(7);
    expect(yuanToFen(1.15)).toBe(115);
    expect(yuanToFen(4.35)).toBe(435);
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(yuanToFen('12')).toBe(1200);
    expect(yuanToFen('0.5')).toBe(50);
    expect(yuanToFen(' 88.88 ')).toBe(8888);
    expect(yuanToFen(-3.2)).toBe(-320);
    expect(yuanToFen(0)).toBe(0);
  });

  it('rounds a third decimal half away from zero', () => {
    expect(yuanToFen('0.015')).toBe(2);
    expect(yuanToFen('0.014')).toBe(1);
    expect(yuanToFen('-0.015')).toBe(-2);
  });

  it('refuses what is not an amount', () => {
    expect(() => yuanToFen('abc')).toThrow(RangeError);
    expect(() => yuanToFen('1,5')).toThrow(RangeError);
    expect(() => yuanToFen(Number.NaN)).toThrow(RangeError);
    expect(() => yuanToFen('')).toThrow(RangeError);
  });
});

describe('fen formatting', () => {
  it('writes fen as yuan with two places', () => {
    expect(fenToYuan(1990)).toBe('19.90');
    expect(fenToYuan(7)).toBe('0.07');
    expect(fenToYuan(-320)).toBe('-3.20');
  });

  it('shows prices the way a menu does', () => {
    expect(formatFen(1990)).toBe('¥19.90');
    expect(formatFen(1200)).toBe('¥12.00');
    expect(formatFen(1234)).toBe('¥12.34');
    expect(formatFen(150)).toBe('¥1.50');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(-300)).toBe('-¥3.00');
  });

  it('applies a percentage adjustment in basis points', () => {
    expect(applyBasisPoints(1990, 1000)).toBe(2189);
    expect(applyBasisPoints(1000, -500)).toBe(950);
  });
});
