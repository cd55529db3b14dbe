import { CatalogCode, CatalogImportJson, type ImportRowError, MAX_FEN, yuanToFen } from 'shared-types';

/**
 * The two import formats, turned into one list of SKU rows with row-level errors.
 *
 * CSV (UTF-8, optional BOM, RFC 4180 quoting, comma separated, first line is the header; one line
 * per SKU; columns in any order, unknown columns refused):
 *
 * | column        | required | meaning                                                              |
 * |---------------|----------|----------------------------------------------------------------------|
 * | category_code | yes      | 分类编码                                                              |
 * | category_name | yes      | 分类名称 (the same on every line of a category)                        |
 * | product_code  | yes      | 商品编码 of the dish (SPU)                                             |
 * | product_name  | yes      | 商品名称                                                              |
 * | description   |          | 描述                                                                  |
 * | unit          |          | 单位, default 份                                                      |
 * | tags          |          | 标签 separated by `|` (招牌|辣)                                        |
 * | spec          |          | `group:option` pairs separated by `/` (份量:大碗/辣度:微辣); empty for a single-spec dish |
 * | sku_code      | yes      | SKU 商品编码, unique per brand                                         |
 * | price         | yes      | base price in yuan, at most two decimals (32 or 32.00)                 |
 * | cost          |          | cost in yuan                                                          |
 * | packaging_fee |          | 打包费 per unit in yuan                                                |
 * | box_count     |          | 餐盒数 per unit                                                        |
 * | stores        |          | store codes listing the dish separated by `|`, or `*` for all; empty leaves listings alone |
 *
 * JSON: `{"format":"heyi-catalog/1","categories":[{code,name,products:[{code,name,description?,
 * unit?,tags?,stores?,skus:[{code,spec?:{group:option},price,cost?,packagingFee?,boxCount?}]}]}]}`;
 * its "rows" are the SKUs numbered 1… in document order, and a column is the field's name.
 */

export interface ImportRow {
  row: number;
  categoryCode: string;
  categoryName: string;
  productCode: string;
  productName: string;
  description: string;
  unit: string;
  tags: string[];
  spec: [group: string, option: string][];
  skuCode: string;
  price: number;
  cost: number;
  packagingFee: number;
  boxCount: number;
  /** null: leave the dish's listings as they are. */
  stores: string[] | '*' | null;
}

export const CSV_COLUMNS = [
  'category_code',
  'category_name',
  'product_code',
  'product_name',
  'description',
  'unit',
  'tags',
  'spec',
  'sku_code',
  'price',
  'cost',
  'packaging_fee',
  'box_count',
  'stores',
] as const;
const REQUIRED = ['category_code', 'category_name', 'product_code', 'product_name', 'sku_code', 'price'];

/** RFC 4180: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0]?.trim() === ''));
}

type Fields = Partial<Record<(typeof CSV_COLUMNS)[number], string>>;

function money(
  value: string | number | undefined,
  column: string,
  row: number,
  errors: ImportRowError[],
  required: boolean,
) {
  if (value === undefined || value === '') {
    if (required) errors.push({ row, column, message: 'is required' });
    return 0;
  }
  const text = String(value).trim();
  if (!/^\d+(\.\d{1,2})?$/.test(text)) {
    errors.push({ row, column, message: `"${text}" is not an amount in yuan with at most two decimals` });
    return 0;
  }
  // Checked on the digits first: yuanToFen itself throws past 2^53 fen, far above the catalog's limit.
  const wholeDigits = (text.split('.')[0] ?? '').replace(/^0+/, '').length;
  if (wholeDigits > 12 || yuanToFen(text) > MAX_FEN) {
    errors.push({ row, column, message: `"${text}" is out of range (at most ${MAX_FEN / 100} yuan)` });
    return 0;
  }
  return yuanToFen(text);
}

function toRow(f: Fields, row: number, errors: ImportRowError[]): ImportRow {
  const text = (c: keyof Fields) => (f[c] ?? '').trim();
  for (const c of REQUIRED) if (text(c as keyof Fields) === '') errors.push({ row, column: c, message: 'is required' });
  for (const c of ['category_code', 'product_code', 'sku_code'] as const) {
    const v = text(c);
    if (v !== '' && !CatalogCode.safeParse(v).success) {
      errors.push({ row, column: c, message: `"${v}" is not a valid code (letters, digits, "_", "." and "-")` });
    }
  }
  const spec: [string, string][] = [];
  if (text('spec') !== '') {
    for (const part of text('spec').split('/')) {
      const [group, option, extra] = part.split(':').map((s) => s.trim());
      if (!group || !option || extra !== undefined) {
        errors.push({ row, column: 'spec', message: `"${part}" is not group:option` });
        continue;
      }
      if (spec.some(([g]) => g === group))
        errors.push({ row, column: 'spec', message: `spec group "${group}" appears twice` });
      spec.push([group, option]);
    }
  }
  const boxText = text('box_count');
  const boxCount = boxText === '' ? 0 : Number(boxText);
  if (!Number.isInteger(boxCount) || boxCount < 0 || boxCount > 99) {
    errors.push({ row, column: 'box_count', message: `"${boxText}" is not a whole number from 0 to 99` });
  }
  const storesText = text('stores');
  const stores =
    storesText === ''
      ? null
      : storesText === '*'
        ? ('*' as const)
        : storesText
            .split('|')
            .map((s) => s.trim())
            .filter(Boolean);
  for (const [c, max] of [
    ['category_name', 120],
    ['product_name', 120],
    ['description', 2000],
    ['unit', 8],
  ] as const) {
    if (text(c).length > max) errors.push({ row, column: c, message: `is longer than ${max} characters` });
  }
  const tags =
    text('tags') === ''
      ? []
      : text('tags')
          .split('|')
          .map((t) => t.trim())
          .filter(Boolean);
  if (tags.some((t) => t.length > 16) || tags.length > 10) {
    errors.push({ row, column: 'tags', message: 'at most 10 tags of at most 16 characters' });
  }
  return {
    row,
    categoryCode: text('category_code'),
    categoryName: text('category_name'),
    productCode: text('product_code'),
    productName: text('product_name'),
    description: f.description ?? '',
    unit: text('unit') || '份',
    tags,
    spec,
    skuCode: text('sku_code'),
    price: money(f.price, 'price', row, errors, true),
    cost: money(f.cost, 'cost', row, errors, false),
    packagingFee: money(f.packaging_fee, 'packaging_fee', row, errors, false),
    boxCount: Number.isInteger(boxCount) ? boxCount : 0,
    stores,
  };
}

export function rowsFromCsv(text: string): { rows: ImportRow[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (err) {
    return { rows: [], errors: [{ row: 0, column: '', message: `not valid CSV: ${(err as Error).message}` }] };
  }
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  for (const h of unknown) errors.push({ row: 1, column: h, message: 'is not a known column' });
  for (const c of REQUIRED) if (!header.includes(c)) errors.push({ row: 1, column: c, message: 'column is missing' });
  if (table.length < 2) errors.push({ row: 1, column: '', message: 'the file has no data rows' });
  if (errors.length) return { rows: [], errors };
  const rows = table.slice(1).map((cells, i) => {
    const row = i + 2;
    if (cells.length !== header.length) {
      errors.push({ row, column: '', message: `has ${cells.length} fields; the header has ${header.length}` });
    }
    return toRow(Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])) as Fields, row, errors);
  });
  return { rows, errors };
}

export function rowsFromJson(value: unknown): { rows: ImportRow[]; errors: ImportRowError[] } {
  const parsed = CatalogImportJson.safeParse(value);
  if (!parsed.success) {
    return {
      rows: [],
      errors: parsed.error.issues.map((i) => ({ row: 0, column: i.path.join('.'), message: i.message })),
    };
  }
  const errors: ImportRowError[] = [];
  const rows: ImportRow[] = [];
  for (const c of parsed.data.categories) {
    for (const p of c.products) {
      if (p.skus.length === 0)
        errors.push({ row: rows.length + 1, column: 'skus', message: `product ${p.code} has no SKUs` });
      for (const s of p.skus) {
        const fields: Fields = {
          category_code: c.code,
          category_name: c.name,
          product_code: p.code,
          product_name: p.name,
          description: p.description ?? '',
          unit: p.unit ?? '',
          tags: (p.tags ?? []).join('|'),
          spec: Object.entries(s.spec ?? {})
            .map(([g, o]) => `${g}:${o}`)
            .join('/'),
          sku_code: s.code,
          price: String(s.price),
          cost: s.cost === undefined ? '' : String(s.cost),
          packaging_fee: s.packagingFee === undefined ? '' : String(s.packagingFee),
          box_count: s.boxCount === undefined ? '' : String(s.boxCount),
          stores: p.stores === undefined ? '' : p.stores === '*' ? '*' : p.stores.join('|'),
        };
        rows.push(toRow(fields, rows.length + 1, errors));
      }
    }
  }
  return { rows, errors };
}

const JSON_NAMES: Record<string, string> = {
  category_code: 'categories[].code',
  category_name: 'categories[].name',
  product_code: 'products[].code',
  product_name: 'products[].name',
  sku_code: 'skus[].code',
  packaging_fee: 'skus[].packagingFee',
  box_count: 'skus[].boxCount',
  price: 'skus[].price',
  cost: 'skus[].cost',
  spec: 'skus[].spec',
};
/** The JSON field a CSV column name stands for, so JSON errors name JSON fields. */
export function jsonColumn(column: string): string {
  return JSON_NAMES[column] ?? column;
}
