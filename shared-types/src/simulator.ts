/**
 * Credentials the local platform simulators (`sim/`) accept, and that the BFF uses by default
 * outside production. They are published on purpose: they only ever open the simulators.
 * Production takes every one of these from the environment instead.
 */
export const SIMULATOR_DEFAULTS = {
  port: 4010,
  meituan: {
    developerId: '106001',
    signKey: 'sim-meituan-open-cater-sign-key',
    businessId: '2',
    appId: '6001',
    appSecret: 'sim-meituan-waimaiopen-secret',
  },
  eleme: {
    appId: '70001',
    appKey: 'sim-eleme-app-key',
    appSecret: 'sim-eleme-app-secret',
  },
  wechat: {
    appId: 'wx0000000000heyi0',
    secret: 'sim-wechat-app-secret',
  },
  wechatPay: {
    mchId: '1900000001',
    apiV3Key: 'sim-wechatpay-apiv3-key-32-bytes',
  },
} as const;
