import type { ServerResponse } from 'node:http';
import { timestampWithin } from '../http';
import { registerRoute } from '../registry';
import type { SimState } from '../state';
import { openCaterSign, verifyOpenCaterSign } from './sign';

/**
 * Meituan's store-map pages (门店映射, spec meituan-open-cater.md §3) at `/meituan/open-erp/…`
 * (the BFF's `MEITUAN_STOREMAP_BASE` outside production).
 *
 * `GET /meituan/open-erp/storemap?developerId&businessId&ePoiId&ePoiName&timestamp&sign` is where
 * the BFF sends a merchant's browser. A real merchant logs in with the 外卖 account and picks the
 * store; the simulator does both by itself: it checks the link's signature (the SHA-1 rule, no
 * `charset`, timestamp in ms or s), binds the ePoiId (a fresh `appAuthToken` that the open-cater
 * gateway then accepts for this store), and POSTs the bind callback — a form with `developerId`,
 * `ePoiId`, `appAuthToken`, `businessId`, `poiId`, `poiName`, `timestamp`, signed with the same
 * rule — to the callback URL, then shows a page with the outcome.
 *
 * The callback URL is the `callbackUrl` query parameter when given (a test pointing at its own
 * BFF), else `SIM_MEITUAN_BIND_CALLBACK`, else the BFF's default local address
 * `http://127.0.0.1:3000/webhooks/meituan/bind` (what Meituan's developer console would hold).
 *
 * `GET /meituan/open-erp/releasebinding?businessId&appAuthToken&timestamp&sign` unbinds and POSTs
 * the unbind callback (`developerId`, `ePoiId`, `businessId`, `timestamp`, signed) to
 * `callbackUrl`, else `SIM_MEITUAN_UNBIND_CALLBACK`, else `…/webhooks/meituan/unbind`.
 */

const DEFAULT_BFF = 'http://127.0.0.1:3000';
const STORE_MAP_BUSINESS_IDS = new Set(['1', '2', '3', '16']);

function page(res: ServerResponse, status: number, title: string, detail: string): void {
  const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><pre>${escapeHtml(detail)}</pre></body></html>`;
  res.writeHead(status, { 'content-type': 'text/html;charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

function checkLink(state: SimState, params: Record<string, string>): string | null {
  const { developerId, signKey } = state.credentials.meituan;
  if (params.developerId !== undefined && params.developerId !== developerId) return 'developerId不存在';
  if (!verifyOpenCaterSign(signKey, params)) return '签名验证失败';
  if (!timestampWithin(params.timestamp, state.now(), state.settings.timestampToleranceSeconds))
    return '时间戳超出允许范围';
  if (!STORE_MAP_BUSINESS_IDS.has(params.businessId ?? '')) return 'businessId不支持门店映射';
  return null;
}

async function postCallback(state: SimState, url: string, fields: Record<string, string>) {
  const signed = { ...fields, sign: openCaterSign(state.credentials.meituan.signKey, fields) };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body: new URLSearchParams(signed).toString(),
  });
  return { status: res.status, text: await res.text() };
}

registerRoute('GET', '/meituan/open-erp/storemap', async (_req, res, { state, url }) => {
  const params = Object.fromEntries(url.searchParams);
  const callbackUrl =
    params.callbackUrl ?? process.env.SIM_MEITUAN_BIND_CALLBACK ?? `${DEFAULT_BFF}/webhooks/meituan/bind`;
  delete params.callbackUrl;
  const refused = checkLink(state, params);
  if (refused || !params.ePoiId) return page(res, 400, '门店映射失败', refused ?? 'ePoiId不能为空');
  const binding = state.meituan.bind(params.ePoiId);
  const fields = {
    developerId: state.credentials.meituan.developerId,
    ePoiId: binding.ePoiId,
    appAuthToken: binding.appAuthToken,
    businessId: params.businessId as string,
    poiId: binding.poiId,
    poiName: params.ePoiName ?? `模拟门店 ${binding.ePoiId}`,
    timestamp: String(Math.floor(state.now() / 1000)),
  };
  try {
    const answer = await postCallback(state, callbackUrl, fields);
    const accepted = answer.status === 200 && /"data"\s*:\s*"success"/.test(answer.text);
    if (!accepted) state.meituan.unbind(binding.ePoiId);
    return page(
      res,
      accepted ? 200 : 502,
      accepted ? '门店映射成功' : '门店映射失败',
      `${callbackUrl} → ${answer.status} ${answer.text}`,
    );
  } catch (err) {
    state.meituan.unbind(binding.ePoiId);
    return page(res, 502, '门店映射失败', `${callbackUrl}: ${String(err)}`);
  }
});

registerRoute('GET', '/meituan/open-erp/releasebinding', async (_req, res, { state, url }) => {
  const params = Object.fromEntries(url.searchParams);
  const callbackUrl =
    params.callbackUrl ?? process.env.SIM_MEITUAN_UNBIND_CALLBACK ?? `${DEFAULT_BFF}/webhooks/meituan/unbind`;
  delete params.callbackUrl;
  const refused = checkLink(state, params);
  const binding = state.meituan.byAppAuthToken(params.appAuthToken);
  if (refused || !binding) return page(res, 400, '解除绑定失败', refused ?? 'appAuthToken无效');
  state.meituan.unbind(binding.ePoiId);
  const fields = {
    developerId: state.credentials.meituan.developerId,
    ePoiId: binding.ePoiId,
    businessId: params.businessId as string,
    timestamp: String(Math.floor(state.now() / 1000)),
  };
  try {
    const answer = await postCallback(state, callbackUrl, fields);
    return page(res, 200, '已解除绑定', `${callbackUrl} → ${answer.status} ${answer.text}`);
  } catch (err) {
    return page(res, 200, '已解除绑定', `callback failed: ${String(err)}`);
  }
});
