import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderView } from 'shared-types';
import { formatFen } from 'shared-types/money';
import { reorder } from '../../cart/cart';
import { messageOf } from '../../services/errors';
import { listMyOrders } from '../../services/member';
import { FINAL_STATUSES, FULFILLMENT_LABEL, MEMBER_STATUS_LABEL } from '../../utils/labels';
import { menuUrl, orderUrl } from '../../utils/routes';
import { DEFAULT_TIMEZONE, storeTime } from '../../utils/time';
import './index.css';

type ListState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; orders: OrderView[] };

/** Newest first, whatever order the answer came in. */
function newestFirst(orders: OrderView[]): OrderView[] {
  return [...orders].sort((a, b) => Date.parse(b.placedAt) - Date.parse(a.placedAt));
}

/** Orders that will not be collected: their 取餐号 means nothing any more. */
const GONE: readonly OrderView['status'][] = ['cancelled', 'refunded'];

/** How often the list is read again while an order on it can still change. */
export const MY_ORDERS_POLL_MS = 5000;

/** 再来一单 from the list: the order's dishes become the cart, and its store's menu opens. */
function orderAgain(order: OrderView) {
  const name = order.store?.name ?? '';
  if (reorder(order, name) === 0) {
    void Taro.showToast({ title: '这些商品暂时无法再次购买', icon: 'none' });
    return;
  }
  void Taro.navigateTo({ url: menuUrl(order.storeId, name) });
}

/** 我的订单: the member's recent orders, kept live while one is in progress; each opens its order page. */
export default function MyOrdersPage() {
  const [state, setState] = useState<ListState>({ kind: 'loading' });
  const [visible, setVisible] = useState(true);
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
    setVisible(true);
  });
  useDidHide(() => setVisible(false));

  // An order in progress moves on (接单, 出餐) while the list is open: read it again quietly.
  const inProgress = state.kind === 'ready' && state.orders.some((o) => !FINAL_STATUSES.includes(o.status));
  useEffect(() => {
    if (!inProgress || !visible) return;
    const timer = setInterval(() => void load(true), MY_ORDERS_POLL_MS);
    return () => clearInterval(timer);
  }, [inProgress, visible, load]);

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
          const done = FINAL_STATUSES.includes(order.status);
          return (
            <View
              className="my-orders__item"
              key={order.id}
              data-order-id={order.id}
              onClick={() => void Taro.navigateTo({ url: orderUrl(order.id, true) })}
            >
              <View className="my-orders__row">
                <Text className="my-orders__store">{order.store?.name ?? ''}</Text>
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
                  {order.daySeq !== null && !GONE.includes(order.status) && (
                    <Text className="my-orders__seq">取餐号 {order.daySeq}</Text>
                  )}
                </View>
                <Text className="my-orders__total">{formatFen(order.amounts.paid)}</Text>
              </View>
              <View className="my-orders__row my-orders__row--foot">
                <Text className="my-orders__time">
                  下单时间 {storeTime(order.placedAt, order.store?.timezone ?? DEFAULT_TIMEZONE)}
                </Text>
                {done && (
                  <View
                    className="my-orders__again"
                    onClick={(e: { stopPropagation?: () => void }) => {
                      e.stopPropagation?.();
                      orderAgain(order);
                    }}
                  >
                    再来一单
                  </View>
                )}
              </View>
            </View>
          );
        })}
    </View>
  );
}
