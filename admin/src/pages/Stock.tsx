import { useCallback, useEffect, useState } from 'react';
import { api, get, type Store } from '../api';
import { ErrorLine, Section, StorePicker, Table } from '../ui';

interface StockItem {
  skuCode: string;
  name: string;
  specText: string;
  quantity: number | null;
  soldOut: boolean;
  dailyLimit: number | null;
}
interface Capacity {
  slotMinutes: number;
  periods: { name: string; start: string; end: string; maxItems: number | null; maxOrders: number | null }[];
}
interface Alert {
  id: string;
  kind: string;
  orderId: string;
  createdAt: string;
  acknowledgedAt: string | null;
}

/** 库存: stock and sold-out per SKU, kitchen capacity and stock alerts, per store. */
export function Stock({ stores }: { stores: Store[] }) {
  const [storeId, setStoreId] = useState(stores[0]?.id ?? '');
  const [items, setItems] = useState<StockItem[]>([]);
  const [capacity, setCapacity] = useState<Capacity | null>(null);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    if (!storeId) return;
    setError(null);
    try {
      const [s, c, a] = await Promise.all([
        get<{ items: StockItem[] }>(`/api/staff/stores/${storeId}/stock`),
        get<Capacity>(`/api/staff/stores/${storeId}/capacity`),
        get<{ alerts: Alert[] }>(`/api/staff/stores/${storeId}/stock/alerts`),
      ]);
      setItems([...s.items].sort((a, b) => a.skuCode.localeCompare(b.skuCode)));
      setCapacity(c);
      setAlerts(a.alerts);
    } catch (e) {
      setError(e);
    }
  }, [storeId]);
  useEffect(() => {
    load();
  }, [load]);

  const change = async (sku: string, body: unknown) => {
    try {
      await api('PUT', `/api/staff/stores/${storeId}/stock/${encodeURIComponent(sku)}`, body);
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div>
      <Section title="库存与沽清" actions={<StorePicker stores={stores} value={storeId} onChange={setStoreId} />}>
        <ErrorLine error={error} />
        <Table
          testId="stock"
          rows={items}
          columns={[
            ['SKU', (i) => i.skuCode],
            ['菜品', (i) => (i.specText ? `${i.name}（${i.specText}）` : i.name)],
            ['剩余', (i) => (i.quantity === null ? '不限' : i.quantity)],
            ['每日限量', (i) => i.dailyLimit ?? '—'],
            ['状态', (i) => (i.soldOut ? '已售罄' : '在售')],
            [
              '操作',
              (i) => (
                <>
                  <button
                    type="button"
                    data-testid={`soldout-${i.skuCode}`}
                    onClick={() => change(i.skuCode, { soldOut: !i.soldOut })}
                  >
                    {i.soldOut ? '恢复售卖' : '沽清'}
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      const q = prompt('剩余数量（留空为不限）', i.quantity === null ? '' : String(i.quantity));
                      if (q !== null) change(i.skuCode, { quantity: q.trim() === '' ? null : Number(q) });
                    }}
                  >
                    设数量
                  </button>
                </>
              ),
            ],
          ]}
        />
      </Section>
      <Section title={`出餐能力（每 ${capacity?.slotMinutes ?? '—'} 分钟）`}>
        <Table
          rows={capacity?.periods ?? []}
          empty="不限出餐能力"
          columns={[
            ['时段', (p) => p.name],
            ['时间', (p) => `${p.start}–${p.end}`],
            ['最多菜品', (p) => p.maxItems ?? '不限'],
            ['最多订单', (p) => p.maxOrders ?? '不限'],
          ]}
        />
      </Section>
      <Section title="库存告警">
        <Table
          rows={alerts}
          empty="没有告警"
          columns={[
            ['时间', (a) => new Date(a.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })],
            ['类型', (a) => (a.kind === 'shortage' ? '缺货' : '超出出餐能力')],
            ['订单', (a) => a.orderId],
            ['已处理', (a) => (a.acknowledgedAt ? '是' : '否')],
          ]}
        />
      </Section>
    </div>
  );
}
