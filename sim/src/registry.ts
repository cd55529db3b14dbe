import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimState } from './state';

/**
 * Where platform APIs plug into the simulator. Each API lives in its own file and registers its
 * handler when imported (add the import to `apis.ts`); the gateways have already checked the
 * signature, credentials, timestamp and (for open-cater) the store binding, and turn a thrown
 * `SimError` into the platform's own error envelope.
 */

/** A refusal a handler throws: becomes `{code,msg}` (Meituan) or `{code,message}` (Ele.me) in the platform's envelope. */
export class SimError extends Error {
  constructor(
    readonly code: string | number,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export interface HandlerContext {
  state: SimState;
  /** Epoch ms from the simulator's clock. */
  now: number;
}

export interface OpenCaterCall {
  /** e.g. `/waimai/order/confirm`. */
  path: string;
  /** The system params as sent (`developerId`, `businessId`, `timestamp`, `appAuthToken`, …). */
  params: Record<string, string>;
  /** `biz` parsed with exact big integers (as digit strings); undefined when none was sent. */
  biz: Record<string, unknown> | undefined;
  /** `biz` as sent, to tell `{"orderId":123}` (Long) from `{"orderId":"123"}` (String). */
  rawBiz: string | undefined;
  appAuthToken: string | undefined;
  /** The store the token is bound to, when the API takes a token. */
  ePoiId: string | undefined;
}

export interface WaimaiopenCall {
  /** e.g. `order/confirm`. */
  path: string;
  method: string;
  /** Query and form fields, sig and system params included, values as sent. */
  params: Record<string, string>;
}

export interface ElemeCall {
  action: string;
  /** `params` parsed with exact big integers (as digit strings). */
  params: Record<string, unknown>;
  /** `""` for app-level calls. */
  token: string;
}

export type Handler<C> = (call: C, ctx: HandlerContext) => unknown;

export interface OpenCaterOptions {
  /** Whether the API needs a bound store's `appAuthToken` (most do; spec §5 marks the exceptions). Default true. */
  needsToken?: boolean;
  /** The businessId the API belongs to; default `'2'` (外卖). */
  businessId?: string;
}

export interface ElemeOptions {
  /** App-level APIs (the compensation channel) are called with token `""`. Default false. */
  appLevel?: boolean;
}

export interface RouteContext {
  state: SimState;
  url: URL;
  body: string;
  /** The simulator's own base URL, e.g. to build links back to it. */
  simUrl: string;
  /** Values of the route's `:name` segments, decoded. */
  params: Record<string, string>;
}

/** A plain HTTP route: pages and callbacks outside the API gateways (e.g. the store-map page). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => Promise<void> | void;

export class SimRegistry {
  private readonly openCaterApis = new Map<string, { handler: Handler<OpenCaterCall>; options: OpenCaterOptions }>();
  private readonly waimaiopenApis = new Map<string, Handler<WaimaiopenCall>>();
  private readonly elemeApis = new Map<string, { handler: Handler<ElemeCall>; options: ElemeOptions }>();
  private readonly routes = new Map<string, RouteHandler>();

  openCater(path: string, handler: Handler<OpenCaterCall>, options: OpenCaterOptions = {}): this {
    return this.add(this.openCaterApis, normalizeOpenCater(path), { handler, options });
  }

  waimaiopen(path: string, handler: Handler<WaimaiopenCall>): this {
    return this.add(this.waimaiopenApis, path.replace(/^\/+/, ''), handler);
  }

  eleme(action: string, handler: Handler<ElemeCall>, options: ElemeOptions = {}): this {
    return this.add(this.elemeApis, action, { handler, options });
  }

  route(method: string, path: string, handler: RouteHandler): this {
    return this.add(this.routes, `${method.toUpperCase()} ${path}`, handler);
  }

  findOpenCater(path: string) {
    return this.openCaterApis.get(normalizeOpenCater(path));
  }

  findWaimaiopen(path: string) {
    return this.waimaiopenApis.get(path.replace(/^\/+/, ''));
  }

  findEleme(action: string) {
    return this.elemeApis.get(action);
  }

  /**
   * The route for a request path: an exact match, else a pattern whose `:name` segments each match
   * one non-empty path segment (e.g. `/wechatpay/v3/pay/transactions/out-trade-no/:outTradeNo`).
   */
  findRoute(method: string, path: string): { handler: RouteHandler; params: Record<string, string> } | undefined {
    const verb = method.toUpperCase();
    const exact = this.routes.get(`${verb} ${path}`);
    if (exact) return { handler: exact, params: {} };
    const segments = path.split('/');
    for (const [key, handler] of this.routes) {
      const [routeVerb, pattern] = key.split(' ', 2) as [string, string];
      if (routeVerb !== verb || !pattern.includes('/:')) continue;
      const parts = pattern.split('/');
      if (parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = parts.every((part, i) => {
        const segment = segments[i] as string;
        if (!part.startsWith(':')) return part === segment;
        if (segment === '') return false;
        try {
          params[part.slice(1)] = decodeURIComponent(segment);
        } catch {
          return false;
        }
        return true;
      });
      if (matches) return { handler, params };
    }
    return undefined;
  }

  /** A copy to add to, e.g. in a test, without touching the original. */
  clone(): SimRegistry {
    const copy = new SimRegistry();
    for (const [k, v] of this.openCaterApis) copy.openCaterApis.set(k, v);
    for (const [k, v] of this.waimaiopenApis) copy.waimaiopenApis.set(k, v);
    for (const [k, v] of this.elemeApis) copy.elemeApis.set(k, v);
    for (const [k, v] of this.routes) copy.routes.set(k, v);
    return copy;
  }

  private add<V>(map: Map<string, V>, key: string, value: V): this {
    if (map.has(key)) throw new Error(`simulator API registered twice: ${key}`);
    map.set(key, value);
    return this;
  }
}

const normalizeOpenCater = (path: string) => `/${path.replace(/^\/+/, '')}`;

/** The registry `startSimulator` uses unless given another. */
export const defaultRegistry = new SimRegistry();

export const registerOpenCater = (path: string, handler: Handler<OpenCaterCall>, options?: OpenCaterOptions) =>
  defaultRegistry.openCater(path, handler, options);
export const registerWaimaiopen = (path: string, handler: Handler<WaimaiopenCall>) =>
  defaultRegistry.waimaiopen(path, handler);
export const registerEleme = (action: string, handler: Handler<ElemeCall>, options?: ElemeOptions) =>
  defaultRegistry.eleme(action, handler, options);
export const registerRoute = (method: string, path: string, handler: RouteHandler) =>
  defaultRegistry.route(method, path, handler);
