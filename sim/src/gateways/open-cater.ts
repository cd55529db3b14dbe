import { randomUUID } from 'node:crypto';
import type { FaultKind } from '../faults';
import { formFields, type GatewayContext, json, type SimAnswer, type SimRequest, timestampWithin } from '../http';
import { parseJsonExact } from '../json';
import { verifyOpenCaterSign } from '../meituan/sign';
import { SimError } from '../registry';
import { meetFault, meituanFaultAnswers } from './faults';

/**
 * Meituan's open-cater gateway (`api-open-cater.meituan.com`, spec meituan-open-cater.md §2):
 * checks `developerId`, the SHA-1 `sign`, the timestamp and the store's `appAuthToken`, parses
 * `biz` with exact big integers, and answers `{code,msg,traceId,data}`.
 *
 * Meituan publishes no error-code list for this gateway (spec §2, §7), so the refusal codes below
 * are the simulator's own, not Meituan's. They follow the one real code (`OP_SUCCESS`) in form, and
 * their messages use the words the BFF reads refusals by (频率, 签名, 授权, 参数, 系统).
 */
export const OPEN_CATER_SIM_ERRORS = {
  developer: { code: 'OP_DEVELOPER_INVALID', msg: 'developerId不存在' },
  signature: { code: 'OP_SIGN_INVALID', msg: '签名验证失败' },
  timestamp: { code: 'OP_TIMESTAMP_INVALID', msg: '时间戳超出允许范围' },
  business: { code: 'OP_BUSINESS_INVALID', msg: 'businessId与接口不匹配' },
  unknownApi: { code: 'OP_API_NOT_FOUND', msg: '接口不存在' },
  token: { code: 'OP_TOKEN_INVALID', msg: 'appAuthToken无效或门店未授权绑定' },
  params: { code: 'OP_PARAM_INVALID', msg: '参数错误' },
  rateLimited: { code: 'OP_FREQUENCY_LIMIT', msg: '调用频率超限，请稍后重试' },
  system: { code: 'OP_SYSTEM_ERROR', msg: '系统异常，请稍后重试' },
} as const;

export async function openCaterGateway(req: SimRequest, path: string, ctx: GatewayContext): Promise<SimAnswer | null> {
  const { state, registry } = ctx;
  const credentials = state.credentials.meituan;
  const params = formFields(req);
  const traceId = randomUUID().replace(/-/g, '');
  let rawBiz: string | undefined = params.biz;
  let biz: Record<string, unknown> | undefined;
  let signatureValid: boolean | null = null;
  let held: FaultKind | undefined;

  const answer = (body: Record<string, unknown>, fault = held, status = 200): SimAnswer => {
    state.record({
      platform: 'meituan-open-cater',
      target: path,
      method: req.method,
      params: { ...params, ...(biz ? { biz } : {}) },
      signatureValid,
      status,
      answer: body,
      ...(fault ? { fault } : {}),
    });
    return json(status, body);
  };
  const refuse = (error: { code: string | number; msg: string }, fault?: FaultKind) =>
    answer({ code: String(error.code), msg: error.msg, traceId, data: null }, fault);

  if (params.developerId !== credentials.developerId) return refuse(OPEN_CATER_SIM_ERRORS.developer);
  signatureValid = verifyOpenCaterSign(credentials.signKey, params);
  if (!signatureValid) return refuse(OPEN_CATER_SIM_ERRORS.signature);
  if (!timestampWithin(params.timestamp, state.now(), state.settings.timestampToleranceSeconds)) {
    return refuse(OPEN_CATER_SIM_ERRORS.timestamp);
  }

  const met = await meetFault(
    ctx,
    'meituan-open-cater',
    path,
    meituanFaultAnswers(answer, refuse, OPEN_CATER_SIM_ERRORS),
  );
  if (!met.proceed) return met.answer;
  held = met.held;

  const api = registry.findOpenCater(path);
  if (!api) return refuse(OPEN_CATER_SIM_ERRORS.unknownApi);
  if (params.businessId !== (api.options.businessId ?? '2')) {
    return refuse(OPEN_CATER_SIM_ERRORS.business);
  }
  const binding = state.meituan.byAppAuthToken(params.appAuthToken);
  if ((api.options.needsToken ?? true) && !binding) return refuse(OPEN_CATER_SIM_ERRORS.token);
  if (rawBiz === '') rawBiz = undefined;
  if (rawBiz !== undefined) {
    try {
      const parsed = parseJsonExact(rawBiz);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      biz = parsed as Record<string, unknown>;
    } catch {
      return refuse({ ...OPEN_CATER_SIM_ERRORS.params, msg: 'biz不是合法的JSON对象' });
    }
  }

  try {
    const data = await api.handler(
      { path, params, biz, rawBiz, appAuthToken: params.appAuthToken, ePoiId: binding?.ePoiId },
      { state, now: state.now() },
    );
    return answer({ code: 'OP_SUCCESS', msg: '成功', traceId, data: data === undefined ? null : data });
  } catch (err) {
    if (err instanceof SimError) return refuse({ code: err.code, msg: err.message });
    return refuse({ ...OPEN_CATER_SIM_ERRORS.system, msg: `${OPEN_CATER_SIM_ERRORS.system.msg}: ${String(err)}` });
  }
}
