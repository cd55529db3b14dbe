import { type GatewayContext, json, type SimAnswer, type SimRequest } from '../http';
import { meetFault } from './faults';

/**
 * Ele.me's OAuth2 token endpoint (`POST <base>/token`, spec §2.1 and the PHP SDK `OAuthClient`):
 * HTTP Basic `base64(urlencode(key):urlencode(secret))`, a form body, and the `client_credentials`
 * and `refresh_token` grants. Errors use the OAuth2 shape `{error, error_description}`.
 */
export async function elemeOAuthGateway(req: SimRequest, ctx: GatewayContext): Promise<SimAnswer | null> {
  const { state } = ctx;
  const form = Object.fromEntries(new URLSearchParams(req.body));
  const credentials = state.credentials.eleme;
  const client = basicCredentials(req.headers.authorization);
  const signatureValid = client?.id === credentials.appKey && client.secret === credentials.appSecret;

  const answer = (status: number, body: Record<string, unknown>): SimAnswer => {
    state.record({
      platform: 'eleme-oauth',
      target: 'token',
      method: req.method,
      params: { ...form, ...(client ? { client_id: client.id } : {}) },
      signatureValid,
      status,
      answer: body,
    });
    return json(status, body);
  };
  const error = (status: number, code: string, description: string) =>
    answer(status, { error: code, error_description: description });

  const met = await meetFault(ctx, 'eleme-oauth', 'token', {
    'server-error': () => error(503, 'server_error', '服务暂不可用'),
    'rate-limit': () => error(429, 'temporarily_unavailable', '请求过于频繁'),
    validation: () => error(400, 'invalid_request', '参数错误'),
  });
  if (!met.proceed) return met.answer;

  if (req.method !== 'POST') return error(405, 'invalid_request', 'POST only');
  if (!signatureValid) return error(401, 'invalid_client', 'client_id或secret错误');
  switch (form.grant_type) {
    case 'client_credentials':
      return answer(200, { ...state.eleme.issue('client_credentials') });
    case 'refresh_token':
      if (!form.refresh_token || !state.eleme.redeemRefreshToken(form.refresh_token)) {
        return error(400, 'invalid_grant', 'refresh_token无效或已过期');
      }
      return answer(200, { ...state.eleme.issue('refresh_token') });
    default:
      return error(400, 'unsupported_grant_type', `不支持的grant_type: ${form.grant_type ?? ''}`);
  }
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const formDecode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}
