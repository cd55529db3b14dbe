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

function vessel(category: string, dish: string): string {
  if (category === 'DRINKS') {
    return `<path d="M140 120h120l-14 200a16 16 0 0 1-16 14h-60a16 16 0 0 1-16-14z" fill="#ffffff" stroke="${dish}" stroke-width="8"/><rect x="150" y="170" width="100" height="140" rx="8" fill="${dish}" opacity="0.55"/>`;
  }
  if (category === 'DESSERTS' || category === 'SNACKS' || category === 'BREAKFAST') {
    return `<ellipse cx="200" cy="250" rx="150" ry="60" fill="#ffffff" stroke="${dish}" stroke-width="6"/><ellipse cx="200" cy="230" rx="95" ry="55" fill="${dish}" opacity="0.7"/>`;
  }
  // Noodles, rice and combos come in a bowl.
  return `<path d="M60 190h280a140 130 0 0 1-280 0z" fill="#ffffff" stroke="${dish}" stroke-width="8"/><ellipse cx="200" cy="190" rx="140" ry="34" fill="${dish}" opacity="0.75"/>`;
}

/** The demo art of one dish, as SVG text. */
export function demoDishArt(categoryCode: string, name: string): string {
  const c = PALETTE[categoryCode] ?? FALLBACK;
  const glyph = [...name][0] ?? '';
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">',
    `<rect width="400" height="400" fill="${c.bg}"/>`,
    vessel(categoryCode, c.dish),
    `<text x="200" y="250" font-size="96" text-anchor="middle" fill="#ffffff" font-family="sans-serif" font-weight="bold">${glyph}</text>`,
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
