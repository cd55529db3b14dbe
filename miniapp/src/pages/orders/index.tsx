import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import type { OrderView } from 'shared-types';
import { formatFen } from 'shared-types/money';
import { messageOf } from '../../services/errors';
import { listMyOrders } from '../../services/member';
import { useStoreDirectory, zoneOf } from '../../services/stores';
import { FULFILLMENT_LABEL, MEMBER_STATUS_LABEL } from '../../utils/labels';
import { orderUrl } from '../../utils/routes';
import { storeTime } from '../../utils/time';
import './index.css';

type ListState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; orders: OrderView[] };

/** Newest first, whatever order the answer came in. */
function newestFirst(orders: OrderView[]): OrderView[] {
  return [...orders].sort((a, b) => Date.parse(b.placedAt) - Date.parse(a.placedAt));
}

/** 我的订单: the member's recent orders; each opens its order page. */
export default function MyOrdersPage() {
  const [state, setState] = useState<ListState>({ kind: 'loading' });
  const stores = useStoreDirectory();
  const shown = useRef(false);

  const load = useCallback(async (quiet = false) => {
    if (!quiet) setState({ kind: 'loading' });
    try {
      const { orders } = await listMyOrders();
      setState({ kind: 'ready', orders: newestFirst(orders) });
    } catch (err) {
      const failed: ListState = { kind: 'failed', message: messageOf(err, '订单加载失败，请稍后再试') };
      // A failed refresh keeps the list already shown.
      setState((shownNow) => (quiet && shownNow.kind === 'ready' ? shownNow : failed));
    }
  }, []);

  // Again on coming back from an order, whose status may have moved on meanwhile (without the
  // loading text, so the list does not flash).
  useDidShow(() => {
    void load(shown.current);
    shown.current = true;
  });

  return (
    <View className="my-orders">
      {state.kind === 'loading' && <Text className="my-orders__hint">正在加载订单…</Text>}
      {state.kind === 'failed' && (
        <View className="my-orders__error">
          <Text className="my-orders__error-message">{state.message}</Text>
          <Button className="my-orders__retry" size="mini" onClick={() => void load()}>
            重试
          </Button>
        </View>
      )}
      {state.kind === 'ready' && state.orders.length === 0 && (
        <View className="my-orders__empty">
          <Text className="my-orders__hint">还没有订单</Text>
          <View className="my-orders__go" onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
            去点餐
          </View>
        </View>
      )}
      {state.kind === 'ready' &&
        state.orders.map((order) => {
          const store = stores?.get(order.storeId);
          return (
            <View
              className="my-orders__item"
              key={order.id}
              data-order-id={order.id}
              onClick={() => void Taro.navigateTo({ url: orderUrl(order.id, true) })}
            >
              <View className="my-orders__row">
                <Text className="my-orders__store">{store?.name ?? ''}</Text>
                <Text className={`my-orders__status my-orders__status--${order.status}`}>
                  {MEMBER_STATUS_LABEL[order.status]}
                </Text>
              </View>
              <View className="my-orders__row">
                <View className="my-orders__meta">
                  <Text className="my-orders__fulfillment">
                    {FULFILLMENT_LABEL[order.fulfillment]}
                    {order.tableNo ? ` · ${order.tableNo} 号桌` : ''}
                  </Text>
                  {order.daySeq !== null && <Text className="my-orders__seq">取餐号 {order.daySeq}</Text>}
                </View>
                <Text className="my-orders__total">{formatFen(order.amounts.paid)}</Text>
              </View>
              <Text className="my-orders__time">
                下单时间 {storeTime(order.placedAt, zoneOf(stores, order.storeId))}
              </Text>
            </View>
          );
        })}
    </View>
  );
}
