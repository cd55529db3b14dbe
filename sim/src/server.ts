import http from 'node:http';
import type { AddressInfo } from 'node:net';
import './apis';
import { controlApi } from './control';
import { elemeGateway } from './gateways/eleme';
import { elemeOAuthGateway } from './gateways/eleme-oauth';
import { openCaterGateway } from './gateways/open-cater';
import { waimaiopenGateway } from './gateways/waimaiopen';
import { type GatewayContext, json, readBody, type SimAnswer, type SimRequest, send } from './http';
import { defaultRegistry, type SimRegistry } from './registry';
import { defaultCredentials, type SimCredentials, type SimSettings, SimState } from './state';

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The APIs to answer; `defaultRegistry` (everything registered through `apis.ts`) unless given. */
  registry?: SimRegistry;
  credentials?: SimCredentials;
  settings?: Partial<SimSettings>;
  /** The simulator's clock (epoch ms), for timestamps and token lifetimes. */
  now?: () => number;
}

export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:4010`; the BFF's `SIM_BASE_URL`. */
  url: string;
  state: SimState;
  registry: SimRegistry;
  close(): Promise<void>;
}

const MOUNTS = {
  openCater: '/meituan/open-cater',
  waimaiopen: '/meituan/waimaiopen/api/v1/',
  eleme: '/eleme/api/v1',
  elemeToken: '/eleme/token',
  control: '/_sim',
} as const;

/**
 * Starts the platform simulators on one HTTP server: Meituan open-cater under
 * `/meituan/open-cater/*`, Meituan waimaiopen under `/meituan/waimaiopen/api/v1/*`, Ele.me NOP at
 * `/eleme/api/v1/` with its token endpoint `/eleme/token`, plain routes registered by API modules,
 * and the control API under `/_sim/`. These are the paths the BFF's config points at outside
 * production (`SIM_BASE_URL` + …).
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const registry = options.registry ?? defaultRegistry;
  const state = new SimState(
    options.credentials ?? defaultCredentials(),
    options.settings ?? {},
    options.now ?? Date.now,
  );
  const host = options.host ?? '127.0.0.1';
  const closing = new AbortController();
  let simUrl = '';

  const hold = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (closing.signal.aborted) return resolve(false);
      const onClose = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        closing.signal.removeEventListener('abort', onClose);
        resolve(true);
      }, ms);
      closing.signal.addEventListener('abort', onClose, { once: true });
    });
  const ctx: GatewayContext = { state, registry, hold };

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<SimAnswer | null | 'handled'> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', simUrl);
    const request: SimRequest = { method: req.method ?? 'GET', url, headers: req.headers, body };
    const path = url.pathname;
    if (path.startsWith(`${MOUNTS.control}/`)) return controlApi(request, path.slice(MOUNTS.control.length), state);
    if (path.startsWith(`${MOUNTS.openCater}/`))
      return openCaterGateway(request, path.slice(MOUNTS.openCater.length), ctx);
    if (path.startsWith(MOUNTS.waimaiopen))
      return waimaiopenGateway(request, path.slice(MOUNTS.waimaiopen.length), ctx);
    if (path === MOUNTS.eleme || path === `${MOUNTS.eleme}/`) return elemeGateway(request, ctx);
    if (path === MOUNTS.elemeToken) return elemeOAuthGateway(request, ctx);
    const custom = registry.findRoute(request.method, path);
    if (!custom) return json(404, { error: { code: 'NOT_FOUND', message: `the simulator has nothing at ${path}` } });
    await custom.handler(req, res, { state, url, body, simUrl, params: custom.params });
    return 'handled';
  }

  const server = http.createServer((req, res) => {
    route(req, res)
      .then((answer) => {
        if (answer === 'handled') return;
        if (answer) send(res, answer);
        else res.destroy();
      })
      .catch((err: unknown) => {
        if (res.headersSent) res.destroy();
        else send(res, json(500, { error: { code: 'SIM_FAILURE', message: String(err) } }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  simUrl = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;

  return {
    url: simUrl,
    state,
    registry,
    async close() {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
