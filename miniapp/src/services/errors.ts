import { ApiError } from './api';

/**
 * What a member or a clerk reads when a call fails. The BFF's messages are for developers (and in
 * English), so the UI shows Chinese text chosen by the stable error code.
 */
const MESSAGES: Record<string, string> = {
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  STORE_CLOSED: '门店已打烊，暂不接单',
  SKU_UNAVAILABLE: '有商品已售罄或暂不可售，请调整购物车',
  STOCK_INSUFFICIENT: '有商品库存不足，请调整购物车',
  ADDON_CHOICES: '加料或口味选择不符合要求，请重新选择',
  CAPACITY_FULL: '门店当前出餐繁忙，请稍后再试',
  DELIVERY_UNAVAILABLE: '当前时段该地址暂不外送',
  DELIVERY_OUT_OF_RANGE: '收货地址超出配送范围',
  DELIVERY_BELOW_MINIMUM: '未达到起送金额',
  TABLE_CODE_INVALID: '桌码无效，请重新扫描桌上的二维码',
  ORDER_STATE: '订单状态已变化，请刷新后再试',
  PAYMENT_UNAVAILABLE: '暂时无法支付，请稍后再试',
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  UNAUTHENTICATED: '请先登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  INVALID_CREDENTIALS: '用户名或密码错误',
  FORBIDDEN: '没有权限进行此操作',
  OUT_OF_SCOPE: '没有该门店的权限',
  NOT_FOUND: '内容不存在或已失效',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  VALIDATION_FAILED: '填写的信息有误，请检查后重试',
  IDEMPOTENCY_IN_PROGRESS: '正在处理上一次提交，请稍候',
  IDEMPOTENCY_KEY_REUSED: '请重新提交订单',
  CANCEL_REASON_UNSUPPORTED: '该平台不支持这个取消原因',
  CONFLICT: '数据已变化，请重试',
};

/** Chinese text for a failure; `fallback` when the code is not one the UI knows. */
export function messageOf(err: unknown, fallback = '操作失败，请稍后再试'): string {
  if (err instanceof ApiError) {
    if (MESSAGES[err.code]) return MESSAGES[err.code] as string;
    // The client's own errors (network, non-JSON answers) are already written in Chinese.
    if (err.code.startsWith('HTTP_')) return err.message;
  }
  return fallback;
}

/** A failure worth retrying with the same Idempotency-Key: no answer, or the server broke mid-way. */
export function isTransient(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 0 || err.status >= 500);
}
