import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CancelReason, OrderStatus, OrderView } from 'shared-types';
import { ApiError } from '../../services/api';
import { messageOf } from '../../services/errors';
import {
  cancelByStaff,
  currentStoreId,
  getQueue,
  type KitchenAction,
  kitchenAction,
  staffSignOut,
  staffStores,
} from '../../services/staff';
import { elapsedSince } from '../../utils/elapsed';
import { CHANNEL_LABEL, FULFILLMENT_LABEL, KITCHEN_STATUS_LABEL, RIDER_STATUS_LABEL } from '../../utils/labels';
import { DEFAULT_TIMEZONE, storeTime } from '../../utils/time';
import { playNewOrderChime } from '../chime';
import '../staff.css';

/** How often the queue is read again. */
export const QUEUE_POLL_MS = 5000;

const ACTION_LABEL: Record<KitchenAction, string> = { accept: '接单', ready: '出餐完成', handover: '交付' };

/** The kitchen's next step for an order in this status, if any. */
const NEXT_ACTION: Partial<Record<OrderStatus, KitchenAction>> = {
  placed: 'accept',
  accepted: 'ready',
  preparing: 'ready',
  ready: 'handover',
};

const CANCELLABLE: readonly OrderStatus[] = ['placed', 'accepted', 'preparing'];

const CANCEL_REASONS: { reason: CancelReason; label: string }[] = [
  { reason: 'sold_out', label: '售罄' },
  { reason: 'busy', label: '太忙' },
  { reason: 'closed', label: '已打烊' },
];

function toLogin() {
  staffSignOut();
  void Taro.redirectTo({ url: '/pages-staff/login/index' });
}

export default function KitchenQueuePage() {
  const [storeId] = useState(currentStoreId);
  const [orders, setOrders] = useState<OrderView[] | null>(null);
  const [error, setError] = useState('');
  const [busyId, setBusyId] = useState('');
  const [cancelling, setCancelling] = useState('');
  // Promised times are read on the store's clock, not the tablet's.
  const [timezone, setTimezone] = useState(DEFAULT_TIMEZONE);
  const [now, setNow] = useState(() => new Date());
  const [chimes, setChimes] = useState(0);
  // Orders already on the screen: one that was not (after the first load) is new, and chimes.
  const seen = useRef<Set<string> | null>(null);

  const refresh = useCallback(async () => {
    if (!storeId) return;
    try {
      const queue = await getQueue(storeId);
      const known = seen.current;
      const arrived = known ? queue.orders.filter((o) => !known.has(o.id) && o.status === 'placed') : [];
      seen.current = new Set([...(known ?? []), ...queue.orders.map((o) => o.id)]);
      if (arrived.length > 0) {
        playNewOrderChime();
        setChimes((n) => n + 1);
      }
      setOrders(queue.orders);
      setNow(new Date());
      setError('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return toLogin();
      setError(messageOf(err, '出餐队列加载失败'));
    }
  }, [storeId]);

  useLoad(() => {
    if (!storeId) toLogin();
  });

  useEffect(() => {
    if (!storeId) return;
    let live = true;
    staffStores().then(
      ({ stores }) => {
        const zone = stores.find((s) => s.id === storeId)?.timezone;
        if (live && zone) setTimezone(zone);
      },
      // Without the list the brand's default zone stands; the queue itself reports failures.
      () => {},
    );
    return () => {
      live = false;
    };
  }, [storeId]);

  useEffect(() => {
    if (!storeId) return;
    void refresh();
    const timer = setInterval(() => void refresh(), QUEUE_POLL_MS);
    return () => clearInterval(timer);
  }, [storeId, refresh]);

  const act = async (order: OrderView, run: () => Promise<OrderView>) => {
    if (busyId) return;
    setBusyId(order.id);
    try {
      const updated = await run();
      setOrders((list) => list?.map((o) => (o.id === updated.id ? updated : o)) ?? null);
      setCancelling('');
      setError('');
      void refresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return toLogin();
      setError(messageOf(err));
    } finally {
      setBusyId('');
    }
  };

  const waiting = orders?.filter((o) => o.status === 'placed').length ?? 0;
  return (
    <View className="staff kitchen" data-chimes={chimes}>
      <View className="kitchen__bar">
        {/* The navigation bar says 出餐队列; the bar here says what is waiting. */}
        <Text className={`kitchen__waiting${waiting > 0 ? '' : ' kitchen__waiting--none'}`}>
          {waiting > 0 ? `${waiting} 单待接` : '暂无新订单'}
        </Text>
        <View className="kitchen__links">
          <Text className="kitchen__link" onClick={() => void Taro.navigateTo({ url: '/pages-staff/stock/index' })}>
            沽清管理
          </Text>
          <Text className="kitchen__link" onClick={toLogin}>
            退出
          </Text>
        </View>
      </View>
      {error && <Text className="staff__error">{error}</Text>}
      {orders === null && !error && <Text className="staff__hint">正在加载…</Text>}
      {orders?.length === 0 && <Text className="staff__hint">暂无待处理订单</Text>}
      {orders?.map((order) => {
        const next = NEXT_ACTION[order.status];
        const busy = busyId === order.id;
        return (
          <View className={`ticket ticket--${order.status}`} key={order.id} data-order-id={order.id}>
            <View className="ticket__head">
              <Text className="ticket__seq">#{order.daySeq ?? '—'}</Text>
              <Text className={`ticket__channel ticket__channel--${order.channel}`}>
                {CHANNEL_LABEL[order.channel]}
              </Text>
              <Text className="ticket__fulfillment">{FULFILLMENT_LABEL[order.fulfillment]}</Text>
              <View className="ticket__side">
                <Text className={`ticket__status ticket__status--${order.status}`}>
                  {KITCHEN_STATUS_LABEL[order.status]}
                </Text>
                <Text className="ticket__age">{elapsedSince(order.placedAt, now)}</Text>
              </View>
            </View>
            <Text className="ticket__meta">
              {order.tableNo ? `${order.tableNo} 号桌 · ` : ''}
              {order.promisedAt ? `${storeTime(order.promisedAt, timezone)} 前出餐` : '尽快出餐'}
            </Text>
            {order.lines.map((line) => (
              <View className="ticket__line" key={line.id}>
                <Text className="ticket__line-name">
                  {line.name}
                  {line.specText ? `（${line.specText}）` : ''}
                </Text>
                <Text className="ticket__line-qty">×{line.quantity}</Text>
                {line.addons.length > 0 && (
                  <Text className="ticket__addons">{line.addons.map((a) => a.name).join('，')}</Text>
                )}
              </View>
            ))}
            {order.remark ? <Text className="ticket__remark">备注：{order.remark}</Text> : null}
            {order.delivery && (
              <Text className="ticket__rider">
                骑手：{RIDER_STATUS_LABEL[order.delivery.status]}
                {order.delivery.riderName ? ` · ${order.delivery.riderName}` : ''}
              </Text>
            )}
            {/* Views, not Buttons: Taro's Button brings its own width and margins, which broke this row. */}
            {cancelling === order.id ? (
              <View className="ticket__reasons">
                <Text className="ticket__reasons-title">取消原因</Text>
                {CANCEL_REASONS.map(({ reason, label }) => (
                  <View
                    key={reason}
                    className={`kbtn kbtn--warn ticket__reason ticket__reason--${reason}${busy ? ' kbtn--busy' : ''}`}
                    onClick={() => void act(order, () => cancelByStaff(order.id, reason))}
                  >
                    {label}
                  </View>
                ))}
                <View className="kbtn ticket__reason-back" onClick={() => setCancelling('')}>
                  不取消
                </View>
              </View>
            ) : (
              <View className="ticket__actions">
                {CANCELLABLE.includes(order.status) && (
                  <View
                    className={`kbtn ticket__cancel${busy ? ' kbtn--busy' : ''}`}
                    onClick={() => !busy && setCancelling(order.id)}
                  >
                    取消
                  </View>
                )}
                {next && (
                  <View
                    className={`kbtn kbtn--primary ticket__action ticket__action--${next}${busy ? ' kbtn--busy' : ''}`}
                    onClick={() => void act(order, () => kitchenAction(order.id, next))}
                  >
                    {ACTION_LABEL[next]}
                  </View>
                )}
              </View>
            )}
          </View>
        );
      })}
    </View>
  );
}
