/**
 * The platform APIs the simulator answers. Each API module registers its handlers with
 * `registerOpenCater`, `registerWaimaiopen`, `registerEleme` or `registerRoute` (see
 * `registry.ts`) when it is imported; list it here so every simulator started by `startSimulator`
 * knows it, e.g.
 *
 *   import './meituan/stock-apis';
 *
 * The gateways themselves (signatures, credentials, tokens, faults, the call log) are in
 * `gateways/`; they answer "unknown API" for anything not registered.
 */
import './eleme/orders';
import './meituan/orders';
import './wechat/code2session';
import './wechatpay/pay';
import './wechatpay/cashier-route';
import './meituan/stock';
import './eleme/stock';
import './meituan/catalog';
import './meituan/storemap';
import './eleme/catalog';
