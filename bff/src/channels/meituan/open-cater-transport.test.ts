import { describe, expect, it } from 'vitest';
import { classifyMeituanRefusal } from './open-cater-transport';

// Meituan publishes no error-code list (spec meituan-open-cater.md §2), so refusals are read by
// code and message. These cases are hand-written from the spec's categories, not platform vectors;
// the v1 gateway's 签名验证失败 comes from a real answer logged in Hanson/meituan-sdk demo/meituan.log.
describe('reading a Meituan refusal', () => {
  it.each([
    ['OP_FREQUENCY_LIMIT', '调用频率超限，请稍后重试', { rateLimited: true, retryable: true }],
    ['', '接口调用过于频繁', { rateLimited: true, retryable: true }],
    ['OP_SYSTEM_ERROR', '系统异常，请稍后重试', { rateLimited: false, retryable: true }],
    ['3', '签名验证失败', { rateLimited: false, retryable: true }],
    ['OP_TOKEN_INVALID', 'appAuthToken无效或门店未授权绑定', { rateLimited: false, retryable: true }],
    ['OP_TIMESTAMP_INVALID', '时间戳超出允许范围', { rateLimited: false, retryable: true }],
    ['OP_PARAM_INVALID', '参数错误', { rateLimited: false, retryable: false }],
    ['OP_ORDER_STATUS_INVALID', '订单状态不允许取消', { rateLimited: false, retryable: false }],
  ])('%s %s', (code, msg, expected) => {
    expect(classifyMeituanRefusal(code, msg)).toEqual(expected);
  });
});
