/**
 * Money is an integer number of fen (分) everywhere inside heyi. Yuan (元) appears only at
 * platform edges (Meituan and Ele.me send yuan as JSON numbers or strings) and in UI text.
 * This file has no dependencies so the mini-program can import it without pulling in zod.
 */

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/**
 * Converts a yuan amount to fen without going through floating point arithmetic.
 * `19.9` → 1990, `"0.07"` → 7, `"12"` → 1200. More than two decimals are rounded half away
 * from zero (platforms occasionally send `0.015` for shared discounts).
 * Throws on anything that is not a finite decimal.
 */
export function yuanToFen(yuan: number | string): number {
  let text: string;
  if (typeof yuan === 'number') {
    if (!Number.isFinite(yuan)) throw new RangeError(`not a finite amount: ${yuan}`);
    // String(n) is the shortest text that round-trips, so 19.9 becomes "19.9", not 19.899999…
    text = String(yuan);
    if (/e/i.test(text)) text = yuan.toFixed(6);
  } else {
    text = yuan.trim();
  }
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`not a decimal amount: ${JSON.stringify(yuan)}`);
  const sign = m[1] === '-' ? -1 : 1;
  const whole = m[2] ?? '0';
  const frac = (m[3] ?? '').padEnd(3, '0');
  let fen = Number(whole) * 100 + Number(frac.slice(0, 2));
  if (Number(frac[2]) >= 5) fen += 1;
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount out of range: ${text}`);
  return sign * fen || 0;
}

/** Formats fen as a yuan decimal string with two places: 1990 → "19.90". */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be an integer: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}${yuan}.${cents}`;
}

/**
 * The one price format of the mini-program and every screen: yuan with two decimals, as Chinese
 * chain apps print it: 1990 → "¥19.90", 1200 → "¥12.00", 150 → "¥1.50", -300 → "-¥3.00". Two
 * decimals always, because add-ons and packaging (¥1.50) keep a menu from being whole yuan, and
 * ¥64.5 beside ¥40 reads as two formats.
 */
export function formatFen(fen: number): string {
  const text = fenToYuan(Math.abs(fen));
  return fen < 0 ? `-¥${text}` : `¥${text}`;
}

/** Applies a percentage in basis points (1% = 100 bp) to an amount in fen, rounding half up. */
export function applyBasisPoints(fen: number, bp: number): number {
  return Math.round((fen * (10000 + bp)) / 10000);
}
