import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../lib/errors';
import type { StoreService } from '../stores/service';

/** WeChat's `scene` holds at most 32 visible characters (spec wechat.md §4.2). */
const SCENE_MAX = 32;
const PART = /^[0-9A-Za-z_-]{1,16}$/;

/**
 * Dine-in table codes: `<store code>.<table no>.<signature>`, printed on the table as a mini-program
 * code's `scene`. The signature (an HMAC under a key derived from DATA_ENCRYPTION_KEY) is what
 * makes the table number trustworthy: a member cannot order "for table 12" without its code.
 */
export class TableCodes {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = createHmac('sha256', secret).update('heyi:dinein-table-code:v1').digest();
  }

  private sign(storeCode: string, tableNo: string): string {
    return createHmac('sha256', this.key).update(`${storeCode}.${tableNo}`).digest('base64url').slice(0, 10);
  }

  make(storeCode: string, tableNo: string): string {
    if (!PART.test(storeCode) || !PART.test(tableNo)) {
      throw new AppError('VALIDATION_FAILED', 400, 'table numbers are 1–16 letters, digits, "-" or "_"');
    }
    const code = `${storeCode}.${tableNo}.${this.sign(storeCode, tableNo)}`;
    if (code.length > SCENE_MAX) {
      throw new AppError('VALIDATION_FAILED', 400, `the table code would exceed WeChat's ${SCENE_MAX}-character scene`);
    }
    return code;
  }

  /** The store code and table of a scanned code, or null when it was not made by us. */
  parse(code: string): { storeCode: string; tableNo: string } | null {
    const parts = code.split('.');
    if (parts.length !== 3) return null;
    const [storeCode, tableNo, signature] = parts as [string, string, string];
    if (!PART.test(storeCode) || !PART.test(tableNo)) return null;
    const expected = Buffer.from(this.sign(storeCode, tableNo));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { storeCode, tableNo };
  }
}

/** Resolves a scanned table code to its store and table; refuses codes we did not make. */
export async function resolveTable(codes: TableCodes, stores: StoreService, code: string) {
  const parsed = codes.parse(code);
  const store = parsed ? await stores.findByCode(parsed.storeCode) : undefined;
  if (!parsed || !store || store.status !== 'active') {
    throw new AppError('TABLE_CODE_INVALID', 404, 'this table code is not one of ours; scan the code on the table');
  }
  return { store, tableNo: parsed.tableNo };
}
