import { MediaUploadResponse } from 'shared-types';
import { z } from 'zod';
import { readRawBody } from '../../http/body';
import type { RouteRegistry } from '../../http/router';
import { AppError } from '../../lib/errors';
import type { MediaService } from './service';

export function mediaRoutes(routes: RouteRegistry, media: MediaService, bodyLimitBytes: number): void {
  routes.add({
    method: 'post',
    path: '/api/admin/media',
    summary:
      'Uploads an image (PNG, JPEG or WebP, the raw bytes as the body); answers the URL to set as a dish’s imageUrl',
    tags: ['admin', 'catalog'],
    auth: ['hq_admin'],
    response: MediaUploadResponse,
    status: 201,
    handler: async ({ ctx, auth }) => media.upload(auth.staff.brandId, await readRawBody(ctx, bodyLimitBytes)),
  });

  routes.add({
    method: 'get',
    path: '/media/:mediaId',
    summary: 'A stored image (dish photos); immutable, so cached for a year',
    tags: ['mini-program'],
    auth: 'public',
    params: z.object({ mediaId: z.string().min(1).max(26) }),
    handler: async ({ params, ctx }) => {
      const found = await media.get(params.mediaId);
      if (!found) throw new AppError('NOT_FOUND', 404, 'no such image');
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      // An SVG opened on its own must not run anything on our origin.
      ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      ctx.type = found.contentType;
      ctx.body = found.bytes;
      ctx.state.responded = true;
    },
  });
}
