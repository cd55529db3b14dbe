import { verifyElemeRequest } from '../eleme/sign';
import type { FaultKind } from '../faults';
import { type GatewayContext, gatewayDown, json, type SimAnswer, type SimRequest, timestampWithin } from '../http';
import { parseJsonExact } from '../json';
import { SimError } from '../registry';
import { meetFault } from './faults';

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Ele.me's NOP JSON-RPC endpoint (`open-api.shop.ele.me/api/v1/`, spec delivery-platforms.md §2.1):
 * checks the app key, the MD5 signature (recomputed from the parsed body, big integers exact and
 * nested keys in the order sent), the timestamp (seconds, or milliseconds as the Java and Python
 * SDKs send) and the access token, and answers `{id,result,error}` with the NOP error codes the
 * official SDKs know (`INVALID_SIGNATURE`, `UNAUTHORIZED`, `EXCEED_LIMIT`, …).
 */
export async function elemeGateway(req: SimRequest, ctx: GatewayContext): Promise<SimAnswer | null> {
  const { state, registry } = ctx;
  const credentials = state.credentials.eleme;
  let body: JsonObject = {};
  let signatureValid: boolean | null = null;
  let held: FaultKind | undefined;

  const reply = (result: unknown, error: { code: string; message: string } | null, fault = held): SimAnswer => {
    const answer = { id: typeof body.id === 'string' ? body.id : null, result, error };
    state.record({
      platform: 'eleme',
      target: typeof body.action === 'string' ? body.action : '',
      method: req.method,
      params: body,
      signatureValid,
      status: 200,
      answer,
      ...(fault ? { fault } : {}),
    });
    return json(200, answer);
  };
  const refuse = (code: string, message: string, fault?: FaultKind) => reply(null, { code, message }, fault);

  let exact: unknown;
  try {
    body = parseJsonExact(req.body) as JsonObject;
    // Big integers kept as numbers, so the signature is recomputed over what was sent.
    exact = parseJsonExact(req.body, { bigIntegers: 'raw' });
  } catch {
    body = {};
    return refuse('ILLEGAL_REQUEST', '请求体不是合法的JSON');
  }
  if (!isObject(body) || !isObject(exact)) return refuse('ILLEGAL_REQUEST', '请求体必须是JSON对象');
  const { action, token, id, nop } = body;
  if (nop !== '1.0.0' || typeof id !== 'string' || !id || typeof action !== 'string' || typeof token !== 'string') {
    return refuse('ILLEGAL_REQUEST', '缺少nop、id、action或token');
  }
  // An empty params object must be `{}`: PHP's `[]` is refused (spec §2.1).
  if (!isObject(exact.metas) || !isObject(exact.params) || !isObject(body.params)) {
    return refuse('ILLEGAL_REQUEST', 'metas和params必须是JSON对象');
  }
  if (exact.metas.app_key !== credentials.appKey) return refuse('ILLEGAL_REQUEST', 'app_key不存在');
  signatureValid = verifyElemeRequest(
    { action, token, metas: exact.metas, params: exact.params, signature: body.signature },
    credentials.appSecret,
  );
  if (!signatureValid) return refuse('INVALID_SIGNATURE', '签名错误');
  if (!timestampWithin(exact.metas.timestamp, state.now(), state.settings.timestampToleranceSeconds)) {
    return refuse('INVALID_TIMESTAMP', '时间戳超出允许范围');
  }

  const met = await meetFault(ctx, 'eleme', action, {
    'server-error': () => {
      state.record({
        platform: 'eleme',
        target: action,
        method: req.method,
        params: body,
        signatureValid,
        status: gatewayDown.status,
        answer: gatewayDown.body,
        fault: 'server-error',
      });
      return gatewayDown;
    },
    'rate-limit': () => refuse('EXCEED_LIMIT', '调用频率超过限制', 'rate-limit'),
    validation: () => refuse('VALIDATION_FAILED', '参数校验失败', 'validation'),
  });
  if (!met.proceed) return met.answer;
  held = met.held;

  const api = registry.findEleme(action);
  if (!api) return refuse('METHOD_NOT_ALLOWED', `接口${action}不存在`);
  const tokenOk = (api.options.appLevel && token === '') || state.eleme.isValidAccessToken(token);
  if (!tokenOk) return refuse('UNAUTHORIZED', 'token无效或已过期');

  try {
    const result = await api.handler({ action, params: body.params, token }, { state, now: state.now() });
    return reply(result === undefined ? null : result, null);
  } catch (err) {
    if (err instanceof SimError) return refuse(String(err.code), err.message);
    return refuse('SERVER_ERROR', `系统异常: ${String(err)}`);
  }
}
