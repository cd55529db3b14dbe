import { ErrorBody } from 'shared-types';
import { type ZodType, z } from 'zod';
import type { AnyRouteDef } from './router';

function schema(s: ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

/** `/api/stores/:storeId/menu` → `/api/stores/{storeId}/menu` */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(def: AnyRouteDef): unknown[] {
  const out: unknown[] = [];
  const names = [...def.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
  for (const name of names) out.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  if (def.query) {
    const json = schema(def.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s });
    }
  }
  return out;
}

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApi(defs: AnyRouteDef[], info: { title: string; version: string }): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorSchema = schema(ErrorBody, 'output');
  for (const def of defs) {
    const path = openApiPath(def.path);
    paths[path] ??= {};
    const status = String(def.status ?? 200);
    const security = def.auth === 'public' ? [] : def.auth === 'member' ? [{ memberToken: [] }] : [{ staffToken: [] }];
    paths[path][def.method] = {
      summary: def.summary,
      tags: def.tags ?? [],
      security,
      ...(Array.isArray(def.auth) ? { 'x-roles': def.auth } : {}),
      parameters: parameters(def),
      ...(def.body
        ? {
            requestBody: {
              required: true,
              content: {
                [def.bodyKind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']: {
                  schema: schema(def.body, 'input'),
                },
              },
            },
          }
        : {}),
      responses: {
        [status]: {
          description: 'success',
          ...(def.response ? { content: { 'application/json': { schema: schema(def.response, 'output') } } } : {}),
        },
        default: { description: 'error', content: { 'application/json': { schema: errorSchema } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /api/admin/login' },
        memberToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /api/mp/auth/login' },
      },
    },
  };
}
