import { describe, expect, it } from 'vitest';
import { chunks, sendBatched } from './batches';
import type { PlatformSkuState } from './push';

class Refusal extends Error {}
const sku = (n: number): PlatformSkuState => ({
  skuCode: `S${n}`,
  platformItemId: `I${n}`,
  platformSkuId: `P${n}`,
  onSale: true,
  stock: n,
  unlimited: false,
});

describe('sending stock to a platform in batches', () => {
  it('splits into batches of at most 50', () => {
    expect(chunks(Array.from({ length: 120 }, (_, i) => i)).map((c) => c.length)).toEqual([50, 50, 20]);
  });

  it('gets every other SKU through when the platform refuses one of a batch', async () => {
    const sent: string[] = [];
    const refused: string[] = [];
    await sendBatched(
      [sku(1), sku(2), sku(3)],
      async (batch) => {
        if (batch.some((s) => s.skuCode === 'S2')) throw new Refusal('unknown spec');
        sent.push(...batch.map((s) => s.skuCode));
      },
      (err) => err instanceof Refusal,
      (s) => refused.push(s.skuCode),
    );
    expect(sent).toEqual(['S1', 'S3']);
    expect(refused).toEqual(['S2']);
  });

  it('leaves a retryable failure to the outbox, which sends the state current then', async () => {
    await expect(
      sendBatched(
        [sku(1)],
        async () => {
          throw new Error('timeout');
        },
        (err) => err instanceof Refusal,
        () => undefined,
      ),
    ).rejects.toThrow('timeout');
  });
});
