import { z } from 'zod';
import { Burst, type BurstReport, BurstRequest, burstReport } from './burst';
import { FaultSpec, SimPlatform } from './faults';
import { json, type SimAnswer, type SimRequest } from './http';
import { SimSettings, type SimState } from './state';

const Bind = z.object({ ePoiId: z.string().min(1).max(100), appAuthToken: z.string().min(1).optional() }).strict();
const Unbind = z.object({ ePoiId: z.string().min(1) }).strict();

/**
 * The simulator's own JSON API under `/_sim/`, so a running `pnpm start` system (and tests in
 * another process) can read what the platforms received and steer them:
 *
 * - `GET  /_sim/calls?platform=&target=&after=<seq>` — the call log
 * - `GET  /_sim/faults`, `POST /_sim/faults` (a fault spec), `DELETE /_sim/faults`
 * - `POST /_sim/reset` — forget calls, faults, bindings, tokens, module state (body: settings)
 * - `GET|POST /_sim/settings` — timestamp tolerance, Ele.me token lifetimes
 * - `GET /_sim/meituan/bindings`, `POST /_sim/meituan/bind`, `POST /_sim/meituan/unbind`
 * - `POST /_sim/burst` (`BurstRequest`) → 202 `{id}`: the simulator pushes a burst of new orders
 *   itself, so its order APIs know them; `GET /_sim/burst?id=` → its `BurstReport`
 */
const bursts = new Map<string, { report: () => BurstReport }>();
let burstSeq = 0;

export function controlApi(req: SimRequest, path: string, state: SimState): SimAnswer {
  const route = `${req.method} ${path}`;
  try {
    switch (route) {
      case 'GET /calls': {
        const platform = req.url.searchParams.get('platform');
        const target = req.url.searchParams.get('target')?.replace(/^\/+/, '');
        const after = Number(req.url.searchParams.get('after') ?? 0);
        const calls = state.calls.filter(
          (c) =>
            c.seq > after &&
            (!platform || c.platform === SimPlatform.parse(platform)) &&
            (!target || c.target.replace(/^\/+/, '') === target),
        );
        return json(200, { calls });
      }
      case 'GET /faults':
        return json(200, { faults: state.faults.list() });
      case 'POST /faults':
        return json(201, { fault: state.faults.add(FaultSpec.parse(body(req))) });
      case 'DELETE /faults':
        state.faults.clear();
        return json(200, { faults: [] });
      case 'POST /reset':
        state.reset(SimSettings.partial().parse(body(req) ?? {}));
        return json(200, { settings: state.settings });
      case 'GET /settings':
        return json(200, { settings: state.settings });
      case 'POST /settings':
        state.settings = SimSettings.parse({ ...state.settings, ...SimSettings.partial().parse(body(req)) });
        return json(200, { settings: state.settings });
      case 'GET /meituan/bindings':
        return json(200, { bindings: state.meituan.list() });
      case 'POST /meituan/bind': {
        const { ePoiId, appAuthToken } = Bind.parse(body(req));
        return json(201, { binding: state.meituan.bind(ePoiId, appAuthToken) });
      }
      case 'POST /meituan/unbind':
        return json(200, { unbound: state.meituan.unbind(Unbind.parse(body(req)).ePoiId) });
      case 'POST /burst': {
        const request = BurstRequest.parse(body(req));
        const id = String(++burstSeq);
        const burst = new Burst({ ...request, state });
        const entry: { report: () => BurstReport } = { report: () => burstReport(burst, request.count, false) };
        bursts.set(id, entry);
        burst.run().then(
          () => {
            entry.report = () => burstReport(burst, request.count, true);
          },
          () => {
            entry.report = () => burstReport(burst, request.count, true);
          },
        );
        return json(202, { id });
      }
      case 'GET /burst': {
        const entry = bursts.get(req.url.searchParams.get('id') ?? '');
        if (!entry) return json(404, { error: { code: 'NOT_FOUND', message: 'no such burst' } });
        return json(200, entry.report());
      }
      default:
        return json(404, { error: { code: 'NOT_FOUND', message: `no simulator control route ${route}` } });
    }
  } catch (err) {
    const message = err instanceof z.ZodError ? z.prettifyError(err) : String(err);
    return json(400, { error: { code: 'BAD_REQUEST', message } });
  }
}

function body(req: SimRequest): unknown {
  return req.body.trim() ? JSON.parse(req.body) : undefined;
}
