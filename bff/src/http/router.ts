import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { StaffRole } from 'shared-types';
import type { ZodType, z } from 'zod';
import { AppError } from '../lib/errors';
import type { MemberPrincipal, StaffPrincipal } from '../lib/principal';
import { type BodyKind, parseBody } from './body';

export type { MemberPrincipal, StaffPrincipal } from '../lib/principal';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: anyone, a signed-in member, any staff, or staff with one of these roles. */
export type AuthSpec = 'public' | 'member' | 'staff' | readonly StaffRole[];

type PrincipalFor<A extends AuthSpec> = A extends 'public'
  ? { staff?: undefined; member?: undefined }
  : A extends 'member'
    ? { member: MemberPrincipal; staff?: undefined }
    : { staff: StaffPrincipal; member?: undefined };

type Infer<S> = S extends ZodType ? z.output<S> : undefined;

export interface RouteInput<B, Q, P, A extends AuthSpec> {
  body: Infer<B>;
  query: Infer<Q>;
  params: Infer<P>;
  ctx: Context;
  auth: PrincipalFor<A>;
}

export interface RouteDef<
  B extends ZodType | undefined = ZodType | undefined,
  Q extends ZodType | undefined = ZodType | undefined,
  P extends ZodType | undefined = ZodType | undefined,
  R extends ZodType | undefined = ZodType | undefined,
  A extends AuthSpec = AuthSpec,
> {
  method: Method;
  /** Koa-router style: `/api/staff/stores/:storeId/stock`. */
  path: string;
  summary: string;
  tags?: string[];
  auth: A;
  /** Body schema; parsed from JSON unless `bodyKind` says form. */
  body?: B;
  bodyKind?: BodyKind;
  query?: Q;
  params?: P;
  /** Success body schema, for the OpenAPI document and (outside production) a check of what we send. */
  response?: R;
  /** Success status; 200 by default. */
  status?: number;
  /**
   * When set, the route's `:storeId` (or the named) parameter is checked against the staff
   * member's scope before the handler runs: the one place scope is enforced for store routes.
   */
  storeParam?: string;
  handler: (input: RouteInput<B, Q, P, A>) => Promise<R extends ZodType ? z.input<R> : unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry of differently-typed routes
export type AnyRouteDef = RouteDef<any, any, any, any, any>;

export interface Authenticator {
  staff(ctx: Context): Promise<StaffPrincipal>;
  member(ctx: Context): Promise<MemberPrincipal>;
}

export interface RouteOptions {
  bodyLimitBytes: number;
  authenticator: Authenticator;
  checkResponses: boolean;
  /** Whether the store exists in the brand: a `storeParam` naming any other store is 404 `STORE_NOT_FOUND`. */
  storeExists(storeId: string, brandId: string): Promise<boolean>;
}

/** Turns zod issues into the `details` of a VALIDATION_FAILED error. */
export function validationError(where: string, error: z.ZodError): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  const summary = first ? `${where}${first.path ? `.${first.path}` : ''}: ${first.message}` : where;
  return new AppError('VALIDATION_FAILED', 400, `invalid ${summary}`, { in: where, issues });
}

export function parseWith<S extends ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(where, result.error);
  return result.data;
}

async function authenticate(def: AnyRouteDef, ctx: Context, authenticator: Authenticator) {
  if (def.auth === 'public') return {};
  if (def.auth === 'member') return { member: await authenticator.member(ctx) };
  const staff = await authenticator.staff(ctx);
  if (Array.isArray(def.auth) && !def.auth.includes(staff.role)) {
    throw new AppError('FORBIDDEN', 403, `this needs one of the roles: ${def.auth.join(', ')}`);
  }
  return { staff };
}

function handlerFor(def: AnyRouteDef, options: RouteOptions): Middleware {
  return async (ctx) => {
    const auth = await authenticate(def, ctx, options.authenticator);
    const params = def.params ? parseWith(def.params, ctx.params, 'path') : ctx.params;
    if (def.storeParam) {
      const storeId = (params as Record<string, string>)[def.storeParam];
      if (!auth.staff || !storeId) throw new AppError('FORBIDDEN', 403, 'store routes need a staff sign-in');
      // Scope first, so that staff outside HQ learn nothing about which other store ids exist.
      await auth.staff.assertStore(storeId);
      if (!(await options.storeExists(storeId, auth.staff.brandId))) {
        throw new AppError('STORE_NOT_FOUND', 404, `store ${storeId} not found`);
      }
    }
    const query = def.query ? parseWith(def.query, ctx.query, 'query') : undefined;
    let body: unknown;
    if (def.body) {
      const raw = await parseBody(ctx, def.bodyKind ?? 'json', options.bodyLimitBytes);
      // No body at all stands for `{}`; a body that says `null` is a value, and is checked as one.
      body = parseWith(def.body, raw === undefined ? {} : raw, 'body');
    }
    const result = await def.handler({ body, query, params, ctx, auth });
    if (ctx.state.responded) return;
    if (options.checkResponses && def.response) {
      const check = def.response.safeParse(result);
      if (!check.success) {
        ctx.state.log?.error({ issues: check.error.issues, path: def.path }, 'response does not match its schema');
        throw new AppError('INTERNAL', 500, 'internal error');
      }
    }
    ctx.status = def.status ?? 200;
    ctx.body = result ?? null;
    if (ctx.status === 204) ctx.body = null;
  };
}

/**
 * Every HTTP route of the BFF is declared through here: validation, auth and scope happen in one
 * place, and the same declarations produce `/openapi.json`.
 */
export class RouteRegistry {
  readonly defs: AnyRouteDef[] = [];

  add<
    B extends ZodType | undefined = undefined,
    Q extends ZodType | undefined = undefined,
    P extends ZodType | undefined = undefined,
    R extends ZodType | undefined = undefined,
    A extends AuthSpec = AuthSpec,
  >(def: RouteDef<B, Q, P, R, A>): void {
    const clash = this.defs.find((d) => d.method === def.method && d.path === def.path);
    if (clash) throw new Error(`route declared twice: ${def.method.toUpperCase()} ${def.path}`);
    this.defs.push(def as AnyRouteDef);
  }

  build(options: RouteOptions): Router {
    const router = new Router();
    for (const def of this.defs) router[def.method](def.path, handlerFor(def, options));
    return router;
  }
}

/** 405 with an Allow header, in the same error shape as everything else. Mount before the routes. */
export function methodNotAllowed(router: Router): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    const match = router.match(ctx.path, ctx.method);
    if (match.route) return;
    const allowed = new Set(match.path.flatMap((layer) => layer.methods));
    if (allowed.size === 0) return;
    throw new AppError('METHOD_NOT_ALLOWED', 405, `${ctx.method} is not allowed on ${ctx.path}`, undefined, {
      Allow: [...allowed].join(', '),
    });
  };
}
