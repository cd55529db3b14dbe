import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { OrderView } from 'shared-types';
import { formatFen } from 'shared-types/money';
import { messageOf } from '../../services/errors';
import { cancelOrder, getOrder, repay } from '../../services/member';
import { useStoreDirectory, zoneOf } from '../../services/stores';
import { payWithWechat } from '../../services/wechat';
import { FINAL_STATUSES, FULFILLMENT_LABEL, MEMBER_STATUS_LABEL, RIDER_STATUS_LABEL } from '../../utils/labels';
import { MY_ORDERS_URL } from '../../utils/routes';
import { storeTime } from '../../utils/time';
import './index.css';

/** How often an active order is read again. */
export const ORDER_POLL_MS = 3000;

export default function OrderPage() {
  const { params } = useRouter();
  const orderId = params.id ?? '';
  // Opened from 我的订单, which is then the page below this one.
  const fromList = params.from === 'orders';
  const stores = useStoreDirectory();
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
      const outcome = await payWithWechat(await repay(order.id));
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
    setBusy(true);
    try {
      setOrder(await cancelOrder(order.id));
    } catch (err) {
      setError(messageOf(err, '取消失败，请稍后再试'));
    } finally {
      setBusy(false);
    }
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
  // On the store's clock: the member may be travelling, or their phone set to another zone.
  const zone = zoneOf(stores, order.storeId);
  const at = (iso: string) => storeTime(iso, zone);
  return (
    <View className="order">
      <View className="order__section order__head">
        <Text className="order__status">{MEMBER_STATUS_LABEL[order.status]}</Text>
        {order.daySeq !== null && <Text className="order__seq">取餐号 {order.daySeq}</Text>}
        <Text className="order__meta">
          {FULFILLMENT_LABEL[order.fulfillment]}
          {order.tableNo ? ` · ${order.tableNo} 号桌` : ''}
          {order.promisedAt ? ` · 预计 ${at(order.promisedAt)}` : ''}
        </Text>
        {unpaid && order.payBy && <Text className="order__pay-by">请在 {at(order.payBy)} 前完成支付</Text>}
        {order.cancelReason && order.status === 'cancelled' && <Text className="order__meta">订单已取消</Text>}
      </View>

      {error && <Text className="order__error">{error}</Text>}

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
        <View className="order__row">
          <Text>打包费</Text>
          <Text>{formatFen(order.amounts.packaging)}</Text>
        </View>
        <View className="order__row">
          <Text>配送费</Text>
          <Text>{formatFen(order.amounts.deliveryFee)}</Text>
        </View>
        <View className="order__row order__row--total">
          <Text>{unpaid ? '待支付' : '实付'}</Text>
          <Text className="order__paid">{formatFen(order.amounts.paid)}</Text>
        </View>
        {order.remark ? <Text className="order__remark">备注：{order.remark}</Text> : null}
      </View>

      {unpaid && (
        <View className="order__actions">
          <Button className="order__cancel" size="mini" disabled={busy || undefined} onClick={() => void cancel()}>
            取消订单
          </Button>
          <Button
            className="order__pay"
            type="primary"
            size="mini"
            disabled={busy || undefined}
            onClick={() => void pay()}
          >
            去支付
          </Button>
        </View>
      )}
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
