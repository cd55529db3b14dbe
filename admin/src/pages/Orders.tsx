import { useCallback, useEffect, useMemo, useState } from 'react';
import { ORDER_STATUS_NAMES, type OrderView } from 'shared-types';
import { api, CHANNEL_NAMES, get, type Store, yuan } from '../api';
import { ErrorLine, Section, StorePicker, Table } from '../ui';

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });

/** 订单: today's orders of a store across every channel, searchable; detail with its timeline; refund answers. */
export function Orders({ stores }: { stores: Store[] }) {
  const [storeId, setStoreId] = useState(stores[0]?.id ?? '');
  const [orders, setOrders] = useState<OrderView[]>([]);
  const [search, setSearch] = useState('');
  const [channel, setChannel] = useState('');
  const [open, setOpen] = useState<OrderView | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    if (!storeId) return;
    try {
      setOrders((await get<{ orders: OrderView[] }>(`/api/staff/stores/${storeId}/queue?view=today`)).orders);
    } catch (e) {
      setError(e);
    }
  }, [storeId]);
  useEffect(() => {
    load();
  }, [load]);
  const shown = useMemo(
    () =>
      orders.filter(
        (o) =>
          (!channel || o.channel === channel) &&
          (!search ||
            [o.channelOrderId, o.displayId, String(o.daySeq ?? ''), o.recipient?.name]
              .filter(Boolean)
              .some((v) => String(v).includes(search))),
      ),
    [orders, search, channel],
  );
  const refund = async (o: OrderView, decision: 'agree' | 'reject') => {
    setError(null);
    try {
      const body = decision === 'reject' ? { reason: prompt('拒绝理由') ?? '商家拒绝' } : {};
      const view = await api<OrderView>('POST', `/api/staff/orders/${o.id}/refund/${decision}`, body);
      setOpen(view);
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div>
      <Section
        title="今日订单（全部渠道）"
        actions={
          <>
            <input placeholder="订单号 / 流水号 / 顾客" value={search} onChange={(e) => setSearch(e.target.value)} />
            <select value={channel} onChange={(e) => setChannel(e.target.value)}>
              <option value="">全部渠道</option>
              {Object.entries(CHANNEL_NAMES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
            <StorePicker stores={stores} value={storeId} onChange={setStoreId} />
          </>
        }
      >
        <ErrorLine error={error} />
        <Table
          testId="orders"
          rows={shown}
          empty="今日暂无订单"
          columns={[
            ['流水号', (o) => o.daySeq ?? '—'],
            ['渠道', (o) => CHANNEL_NAMES[o.channel]],
            ['订单号', (o) => o.displayId ?? o.channelOrderId],
            ['下单', (o) => time(o.placedAt)],
            ['状态', (o) => ORDER_STATUS_NAMES[o.status]],
            ['实付', (o) => yuan(o.amounts.paid)],
            ['退款', (o) => (o.refund ? o.refund.state : '—')],
            [
              '',
              (o) => (
                <button type="button" onClick={() => setOpen(o)} data-testid="order-detail">
                  详情
                </button>
              ),
            ],
          ]}
        />
      </Section>
      {open && (
        <Section
          title={`订单 ${open.displayId ?? open.channelOrderId}（${CHANNEL_NAMES[open.channel]}）`}
          actions={
            open.refund?.state === 'requested' && (
              <>
                <button type="button" onClick={() => refund(open, 'agree')}>
                  同意退款
                </button>
                <button type="button" onClick={() => refund(open, 'reject')}>
                  拒绝退款
                </button>
              </>
            )
          }
        >
          <Table
            rows={open.lines}
            columns={[
              ['菜品', (l) => `${l.name}${l.specText ? `（${l.specText}）` : ''}`],
              ['数量', (l) => l.quantity],
              ['小计', (l) => yuan(l.lineTotal)],
            ]}
          />
          <p>
            菜品 {yuan(open.amounts.items)} · 打包 {yuan(open.amounts.packaging)} · 配送{' '}
            {yuan(open.amounts.deliveryFee)} · 平台补贴 {yuan(open.amounts.discountPlatform)} · 商家优惠{' '}
            {yuan(open.amounts.discountMerchant)} · 实付 {yuan(open.amounts.paid)}
          </p>
          <h3>时间线</h3>
          <ol className="timeline" data-testid="timeline">
            {open.events.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: events are in time order and never reorder
              <li key={i}>
                {time(e.at)} — {e.toStatus ? ORDER_STATUS_NAMES[e.toStatus] : e.type}（
                {{ staff: '员工', platform: '平台', system: '系统', member: '顾客' }[e.source]}）
                {e.reason ? `：${e.reason}` : ''}
              </li>
            ))}
          </ol>
        </Section>
      )}
    </div>
  );
}
