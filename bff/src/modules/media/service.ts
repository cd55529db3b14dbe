import { createHash } from 'node:crypto';
import { newId } from 'db';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { MediaRepo, StoredMedia } from './repo';

/** The image kinds an admin may upload, told by their first bytes rather than by the client's word. */
const SIGNATURES: { type: string; matches: (b: Buffer) => boolean }[] = [
  { type: 'image/png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])) },
  { type: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/webp',
    matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/** Where a stored image is served; product `imageUrl`s point here. */
export const mediaPath = (id: string) => `/media/${id}`;

/**
 * Dish photos the BFF keeps itself, so that the mini-program bundles none (its main package must
 * stay under WeChat's 2 MB, ours under 1 MB) and needs no CDN. SVG is served (the demo seed's
 * art) but never accepted from an upload: an SVG can carry script.
 */
export class MediaService {
  constructor(
    private readonly repo: MediaRepo,
    private readonly clock: Clock,
  ) {}

  async upload(brandId: string, bytes: Buffer): Promise<{ id: string; url: string }> {
    if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', 400, 'the image is empty');
    const kind = SIGNATURES.find((s) => s.matches(bytes));
    if (!kind) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'upload a PNG, JPEG or WebP image');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = await this.repo.put({ id: newId(), brandId, contentType: kind.type, bytes }, sha256, this.clock.now());
    return { id, url: mediaPath(id) };
  }

  get(id: string): Promise<StoredMedia | undefined> {
    return this.repo.get(id);
  }
}
