import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { upsert } from '../sql-helpers';
import { demoIds } from './demo-core';
import { demoMenu } from './demo-menu-data';
import { seedId } from './seed-id';

/**
 * Demo art, not photographs: one generated SVG per demo dish (a plate, cup or bowl in the
 * category's colours, the dish's first character, and "示意图" in the corner so nobody takes it
 * for the real dish). The BFF stores and serves them like uploaded photos (`/media/:id`), so the
 * mini-program bundles none of them. A real brand uploads its photos or sets image URLs.
 */

const PALETTE: Record<string, { bg: string; dish: string; ink: string }> = {
  NOODLES: { bg: '#fbe3c8', dish: '#c0392b', ink: '#7a2418' },
  RICE: { bg: '#fdf0cf', dish: '#d9822b', ink: '#7a4a12' },
  SNACKS: { bg: '#e6f2d9', dish: '#5c8a2f', ink: '#2f4a16' },
  BREAKFAST: { bg: '#fff5d6', dish: '#e0a82e', ink: '#6b4f0f' },
  DRINKS: { bg: '#dff0f5', dish: '#2e86ab', ink: '#134056' },
  DESSERTS: { bg: '#fbe1ea', dish: '#c2577e', ink: '#6a2440' },
  COMBOS: { bg: '#ece3f6', dish: '#7d5ba6', ink: '#3e2a57' },
};
const FALLBACK = { bg: '#eeeeee', dish: '#888888', ink: '#333333' };

/** The vessel in the category's colours, and where the dish's character sits on it (y, colour). */
function vessel(
  category: string,
  c: { dish: string; ink: string },
): { shape: string; glyphY: number; glyphFill: string } {
  if (category === 'DRINKS') {
    return {
      shape: `<path d="M140 110h120l-14 210a16 16 0 0 1-16 14h-60a16 16 0 0 1-16-14z" fill="#ffffff" stroke="${c.dish}" stroke-width="8"/><rect x="150" y="160" width="100" height="150" rx="8" fill="${c.dish}" opacity="0.6"/>`,
      glyphY: 265,
      glyphFill: '#ffffff',
    };
  }
  if (category === 'DESSERTS' || category === 'SNACKS' || category === 'BREAKFAST') {
    return {
      shape: `<ellipse cx="200" cy="250" rx="160" ry="66" fill="#ffffff" stroke="${c.dish}" stroke-width="6"/><ellipse cx="200" cy="228" rx="100" ry="60" fill="${c.dish}" opacity="0.75"/>`,
      glyphY: 256,
      glyphFill: '#ffffff',
    };
  }
  // Noodles, rice and combos come in a bowl; the character is painted on its side.
  return {
    shape: `<path d="M50 170h300a150 140 0 0 1-300 0z" fill="#ffffff" stroke="${c.dish}" stroke-width="8"/><ellipse cx="200" cy="170" rx="150" ry="36" fill="${c.dish}" opacity="0.8"/>`,
    glyphY: 285,
    glyphFill: c.ink,
  };
}

/** The demo art of one dish, as SVG text. */
export function demoDishArt(categoryCode: string, name: string): string {
  const c = PALETTE[categoryCode] ?? FALLBACK;
  const glyph = [...name][0] ?? '';
  const v = vessel(categoryCode, c);
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">',
    `<rect width="400" height="400" fill="${c.bg}"/>`,
    v.shape,
    `<text x="200" y="${v.glyphY}" font-size="88" text-anchor="middle" fill="${v.glyphFill}" font-family="sans-serif" font-weight="bold">${glyph}</text>`,
    `<text x="388" y="388" font-size="22" text-anchor="end" fill="${c.ink}" opacity="0.6" font-family="sans-serif">示意图</text>`,
    '</svg>',
  ].join('');
}

/** The media id of a piece of demo art: fixed by its content, so two dishes with the same art share it. */
export const demoMediaId = (sha256: string) => seedId('media', sha256);

/**
 * Stores the art of every demo dish and points each dish without an image at it. A dish whose
 * image an admin has set keeps it.
 */
export async function seedDemoMedia(db: Kysely<Database>, now = Date.now()): Promise<void> {
  for (const category of demoMenu) {
    for (const product of category.products) {
      const bytes = Buffer.from(demoDishArt(category.code, product.name), 'utf8');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const id = demoMediaId(sha256);
      await upsert(
        db,
        'media',
        { id, brand_id: demoIds.brand, content_type: 'image/svg+xml', bytes, sha256, created_at: now },
        ['id'],
        [],
      );
      await db
        .updateTable('product')
        .set({ image_url: `/media/${id}` })
        .where('id', '=', seedId('product', product.code))
        .where('image_url', 'is', null)
        .execute();
    }
  }
}
