import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { OrderView } from 'shared-types';
import { formatFen } from 'shared-types/money';
import { reorder } from '../../cart/cart';
import { messageOf } from '../../services/errors';
import { cancelOrder, getOrder, repay } from '../../services/member';
import { payWithWechat } from '../../services/wechat';
import { dayAndTime } from '../../utils/hours';
import { FINAL_STATUSES, FULFILLMENT_LABEL, MEMBER_STATUS_LABEL, RIDER_STATUS_LABEL } from '../../utils/labels';
import { mapLink, progressStep, statusHint, stepsFor } from '../../utils/order-progress';
import { MY_ORDERS_URL, menuUrl } from '../../utils/routes';
import { DEFAULT_TIMEZONE, storeTime } from '../../utils/time';
import './index.css';

/** How often an active order is read again. */
export const ORDER_POLL_MS = 3000;

/** Opens the store on a map: WeChat's own map on weapp, Amap's web page on H5. */
function openMap(order: OrderView) {
  const store = order.store;
  if (!store || store.lat === null || store.lng === null) return;
  if (process.env.TARO_ENV === 'h5') {
    window.open(mapLink(store), '_blank');
    return;
  }
  void Taro.openLocation({ latitude: store.lat, longitude: store.lng, name: store.name, address: store.address }).catch(
    () => undefined,
  );
}

export default function OrderPage() {
  const { params } = useRouter();
  const orderId = params.id ?? '';
  // Opened from 我的订单, which is then the page below this one.
  const fromList = params.from === 'orders';
  const [order, setOrder] = useState<OrderView | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setOrder(await getOrder(orderId));
      setError('');
    } catch (err) {
      setError(messageOf(err, '订单加载失败，请稍后再试'));
    }
  }, [orderId]);

  const active = order === null || !FINAL_STATUSES.includes(order.status);

  // Load now, then poll every few seconds while the order can still change.
  useEffect(() => {
    if (orderId) void refresh();
  }, [orderId, refresh]);
  useEffect(() => {
    if (!orderId || !active) return;
    const timer = setInterval(() => void refresh(), ORDER_POLL_MS);
    return () => clearInterval(timer);
  }, [orderId, active, refresh]);

  const pay = async () => {
    if (!order || busy) return;
    setBusy(true);
    try {
      const params = await repay(order.id);
      const outcome = await payWithWechat(params, {
        payee: order.store?.name ?? '合一小馆',
        amount: order.amounts.paid,
      });
      if (outcome.kind === 'failed') setError(outcome.message);
      await refresh();
    } catch (err) {
      setError(messageOf(err, '支付失败，请稍后再试'));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!order || busy) return;
    if (order.status === 'placed') {
      const answer = await Taro.showModal({
        title: '取消订单？',
        content: '门店还未接单，取消后款项将原路退回',
        confirmText: '取消订单',
        cancelText: '再想想',
      }).catch(() => ({ confirm: false }));
      if (!answer.confirm) return;
    }
    setBusy(true);
    try {
      setOrder(await cancelOrder(order.id));
      setError('');
    } catch (err) {
      setError(messageOf(err, '取消失败，请稍后再试'));
      void refresh();
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    if (!order) return;
    const name = order.store?.name ?? '';
    if (reorder(order, name) === 0) {
      void Taro.showToast({ title: '这些商品暂时无法再次购买', icon: 'none' });
      return;
    }
    void Taro.navigateTo({ url: menuUrl(order.storeId, name) });
  };

  if (!orderId) return <Text className="order__error">没有这个订单</Text>;
  if (!order) {
    return (
      <View className="order">
        <Text className={error ? 'order__error' : 'order__loading'}>{error || '正在加载订单…'}</Text>
      </View>
    );
  }

  const unpaid = order.status === 'pending_payment';
  const cancellable = unpaid || order.status === 'placed';
  // On the store's clock: the member may be travelling, or their phone set to another zone.
  const zone = order.store?.timezone ?? DEFAULT_TIMEZONE;
  const at = (iso: string) => storeTime(iso, zone);
  const step = progressStep(order.status);
  const steps = stepsFor(order);
  const showSeq = order.daySeq !== null && order.fulfillment !== 'delivery' && step !== null;
  const map = order.store ? mapLink(order.store) : '';
  return (
    <View className="order">
      <View className={`order__section order__head order__head--${order.status}`}>
        <Text className="order__status">{MEMBER_STATUS_LABEL[order.status]}</Text>
        <Text className="order__hint">{statusHint(order)}</Text>
        {showSeq && (
          <View className="order__seq-box">
            <Text className="order__seq-label">取餐号</Text>
            <Text className="order__seq">{order.daySeq}</Text>
          </View>
        )}
        {step !== null && (
          <View className="order__steps">
            {steps.map((label, i) => (
              <View key={label} className={`order__step${i <= step ? ' order__step--done' : ''}`}>
                <View className="order__step-dot" />
                <Text className="order__step-label">{label}</Text>
              </View>
            ))}
          </View>
        )}
        {unpaid && order.payBy && <Text className="order__pay-by">请在 {at(order.payBy)} 前完成支付</Text>}
      </View>

      {error && <Text className="order__error">{error}</Text>}

      {order.store && (
        <View className="order__section order-store">
          <View className="order-store__info">
            <Text className="order-store__name">{order.store.name}</Text>
            <Text className="order-store__address">{order.store.address}</Text>
          </View>
          <View className="order-store__actions">
            {map ? (
              <View className="order-store__map" data-href={map} onClick={() => openMap(order)}>
                导航
              </View>
            ) : null}
            {order.store.phone ? (
              <View
                className="order-store__call"
                onClick={() =>
                  void Taro.makePhoneCall({ phoneNumber: order.store?.phone ?? '' }).catch(() => undefined)
                }
              >
                电话
              </View>
            ) : null}
          </View>
        </View>
      )}

      {order.delivery && (
        <View className="order__section rider">
          <Text className="rider__title">
            配送：{RIDER_STATUS_LABEL[order.delivery.status]}
            {order.delivery.riderName ? ` · 骑手 ${order.delivery.riderName}` : ''}
          </Text>
          {order.delivery.timeline.map((event) => (
            <View className="rider__event" key={`${event.status}-${event.at}`}>
              <Text className="rider__time">{at(event.at)}</Text>
              <Text className="rider__text">{RIDER_STATUS_LABEL[event.status]}</Text>
            </View>
          ))}
        </View>
      )}

      <View className="order__section">
        {order.lines.map((line) => (
          <View className="order-line" key={line.id}>
            <View className="order-line__info">
              <Text className="order-line__name">{line.name}</Text>
              <Text className="order-line__detail">
                {[line.specText, ...line.addons.map((a) => a.name)].filter(Boolean).join('，')}
              </Text>
            </View>
            <Text className="order-line__qty">×{line.quantity}</Text>
            <Text className="order-line__total">{formatFen(line.lineTotal)}</Text>
          </View>
        ))}
        {order.amounts.packaging > 0 && (
          <View className="order__row">
            <Text>打包费</Text>
            <Text className="order__packaging">{formatFen(order.amounts.packaging)}</Text>
          </View>
        )}
        {order.fulfillment === 'delivery' && (
          <View className="order__row">
            <Text>配送费</Text>
            <Text className="order__delivery-fee">{formatFen(order.amounts.deliveryFee)}</Text>
          </View>
        )}
        <View className="order__row order__row--total">
          <Text>{unpaid ? '待支付' : '实付'}</Text>
          <Text className="order__paid">{formatFen(order.amounts.paid)}</Text>
        </View>
      </View>

      <View className="order__section order-info">
        <View className="order-info__row">
          <Text className="order-info__label">{order.fulfillment === 'delivery' ? '预计送达' : '取餐时间'}</Text>
          <Text className="order-info__value order__meta">
            {order.promisedAt ? dayAndTime(order.promisedAt, zone) : '—'}
          </Text>
        </View>
        <View className="order-info__row">
          <Text className="order-info__label">用餐方式</Text>
          <Text className="order-info__value">
            {FULFILLMENT_LABEL[order.fulfillment]}
            {order.tableNo ? ` · ${order.tableNo} 号桌` : ''}
          </Text>
        </View>
        {order.recipient?.phone && order.fulfillment !== 'delivery' ? (
          <View className="order-info__row">
            <Text className="order-info__label">联系电话</Text>
            <Text className="order-info__value">{order.recipient.phone}</Text>
          </View>
        ) : null}
        <View className="order-info__row">
          <Text className="order-info__label">下单时间</Text>
          <Text className="order-info__value">{at(order.placedAt)}</Text>
        </View>
        <View className="order-info__row">
          <Text className="order-info__label">订单编号</Text>
          <Text className="order-info__value order-info__id">{order.id}</Text>
        </View>
        {order.remark ? <Text className="order__remark">备注：{order.remark}</Text> : null}
      </View>

      <View className="order__actions">
        {cancellable && (
          <View className={`order__cancel${busy ? ' order__button--busy' : ''}`} onClick={() => void cancel()}>
            取消订单
          </View>
        )}
        {unpaid && (
          <View className={`order__pay${busy ? ' order__button--busy' : ''}`} onClick={() => void pay()}>
            去支付
          </View>
        )}
        {!active && (
          <View className="order__again" onClick={again}>
            再来一单
          </View>
        )}
      </View>
      <View className="order__links">
        <View
          className="order__my-orders"
          onClick={() => void (fromList ? Taro.navigateBack() : Taro.redirectTo({ url: MY_ORDERS_URL }))}
        >
          我的订单
        </View>
        <View className="order__home" onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
          返回首页
        </View>
      </View>
    </View>
  );
}
