import type { FaultKind } from '../faults';
import { formFields, type GatewayContext, json, type SimAnswer, type SimRequest, timestampWithin } from '../http';
import { verifyWaimaiopenSig } from '../meituan/sign';
import { SimError } from '../registry';
import { meetFault, meituanFaultAnswers } from './faults';

/**
 * Meituan's legacy waimaiopen API (`waimaiopen.meituan.com/api/v1`, spec delivery-platforms.md
 * §1.1): checks `app_id`, the timestamp and the MD5 `sig` over the exact URL it was called at,
 * and answers `{"data":"ok"}`, `{"data":<obj>}` or `{"data":"ng","error":{"code","msg"}}`.
 *
 * Meituan's error numbers were not found, so these are the simulator's own. They borrow HTTP's
 * numbers so nobody mistakes them for Meituan's; the messages carry the words the BFF reads
 * refusals by (频率, 签名, 参数, 系统).
 */
export const WAIMAIOPEN_SIM_ERRORS = {
  params: { code: 400, msg: '参数错误' },
  signature: { code: 401, msg: '签名验证失败' },
  appId: { code: 401, msg: 'app_id不存在' },
  unknownApi: { code: 404, msg: '接口不存在' },
  timestamp: { code: 408, msg: '时间戳超出允许范围' },
  rateLimited: { code: 429, msg: '调用频率超限，请稍后重试' },
  system: { code: 500, msg: '系统异常，请稍后重试' },
} as const;

export async function waimaiopenGateway(req: SimRequest, path: string, ctx: GatewayContext): Promise<SimAnswer | null> {
  const { state, registry } = ctx;
  const credentials = state.credentials.meituan;
  const params = formFields(req);
  let signatureValid: boolean | null = null;
  let held: FaultKind | undefined;

  const answer = (body: Record<string, unknown>, fault = held, status = 200): SimAnswer => {
    state.record({
      platform: 'meituan-waimaiopen',
      target: path,
      method: req.method,
      params,
      signatureValid,
      status,
      answer: body,
      ...(fault ? { fault } : {}),
    });
    return json(status, body);
  };
  const refuse = (error: { code: number | string; msg: string }, fault?: FaultKind) =>
    answer({ data: 'ng', error: { code: error.code, msg: error.msg } }, fault);

  if (params.app_id !== credentials.appId) return refuse(WAIMAIOPEN_SIM_ERRORS.appId);
  // The URL as called: scheme, host and path, no query (the BFF signs its configured base + path).
  const calledAt = `http://${req.headers.host ?? req.url.host}${req.url.pathname}`;
  signatureValid = verifyWaimaiopenSig(calledAt, params, credentials.appSecret);
  if (!signatureValid) return refuse(WAIMAIOPEN_SIM_ERRORS.signature);
  if (!timestampWithin(params.timestamp, state.now(), state.settings.timestampToleranceSeconds)) {
    return refuse(WAIMAIOPEN_SIM_ERRORS.timestamp);
  }

  const met = await meetFault(
    ctx,
    'meituan-waimaiopen',
    path,
    meituanFaultAnswers(answer, refuse, WAIMAIOPEN_SIM_ERRORS),
  );
  if (!met.proceed) return met.answer;
  held = met.held;

  const handler = registry.findWaimaiopen(path);
  if (!handler) return refuse(WAIMAIOPEN_SIM_ERRORS.unknownApi);
  try {
    const data = await handler({ path, method: req.method, params }, { state, now: state.now() });
    return answer({ data: data === undefined ? 'ok' : data });
  } catch (err) {
    if (err instanceof SimError) return refuse({ code: err.code, msg: err.message });
    return refuse({ ...WAIMAIOPEN_SIM_ERRORS.system, msg: `${WAIMAIOPEN_SIM_ERRORS.system.msg}: ${String(err)}` });
  }
}
