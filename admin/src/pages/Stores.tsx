import { useEffect, useState } from 'react';
import type { DeliverySettingsView, DineInTableView, StoreBindingView } from 'shared-types';
import { api, get, type Store, yuan } from '../api';
import { ErrorLine, Section, StorePicker, Table } from '../ui';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** 门店: hours, phone and address; delivery zones and fees; platform bindings; table QR codes. */
export function Stores({ stores, onChanged }: { stores: Store[]; onChanged: () => void }) {
  const [storeId, setStoreId] = useState(stores[0]?.id ?? '');
  const store = stores.find((s) => s.id === storeId);
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const [hours, setHours] = useState('');
  const [delivery, setDelivery] = useState<DeliverySettingsView | null>(null);
  const [bindings, setBindings] = useState<StoreBindingView[]>([]);
  const [tableNo, setTableNo] = useState('A1');
  const [table, setTable] = useState<DineInTableView | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!store) return;
    setPhone(store.phone ?? '');
    setAddress(store.address);
    setHours(JSON.stringify(store.businessHours));
    setTable(null);
    get<DeliverySettingsView>(`/api/staff/stores/${store.id}/delivery`).then(setDelivery).catch(setError);
    get<{ bindings: StoreBindingView[] }>('/api/admin/catalog/bindings')
      .then((b) => setBindings(b.bindings.filter((x) => x.storeId === store.id)))
      .catch(() => setBindings([]));
  }, [store]);

  const save = async () => {
    if (!store) return;
    setError(null);
    try {
      await api('PATCH', `/api/staff/stores/${store.id}`, {
        phone: phone || null,
        address,
        businessHours: JSON.parse(hours),
      });
      setMessage('已保存');
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const makeTable = async () => {
    if (!store) return;
    try {
      setTable(
        await get<DineInTableView>(`/api/staff/stores/${store.id}/dinein/tables/${encodeURIComponent(tableNo)}`),
      );
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div>
      <Section title="门店资料" actions={<StorePicker stores={stores} value={storeId} onChange={setStoreId} />}>
        {message && <p className="ok">{message}</p>}
        <ErrorLine error={error} />
        {store && (
          <div className="form">
            <label>
              电话 <input value={phone} onChange={(e) => setPhone(e.target.value)} />
            </label>
            <label>
              地址 <input className="wide" value={address} onChange={(e) => setAddress(e.target.value)} />
            </label>
            <label>
              营业时间 <input className="wide" value={hours} onChange={(e) => setHours(e.target.value)} />
            </label>
            <p className="hint">
              {store.businessHours
                .map((h) => `周${h.days.map((d) => WEEKDAYS[d - 1]).join('')} ${h.open}–${h.close}`)
                .join('；')}
              （{store.timezone}）
            </p>
            <button type="button" onClick={save}>
              保存
            </button>
          </div>
        )}
      </Section>
      <Section title="配送范围与配送费">
        <p>
          自配送：{delivery?.selfDelivery.enabled ? '开启' : '关闭'}；美团专送：
          {delivery?.platformDelivery.meituan ? '是' : '否'}；饿了么蜂鸟：
          {delivery?.platformDelivery.eleme ? '是' : '否'}
        </p>
        <Table
          rows={delivery?.selfDelivery.zones ?? []}
          empty="没有自配送范围"
          columns={[
            ['范围', (z) => z.name],
            ['半径', (z) => `${(z.radiusM / 1000).toFixed(1)} 公里`],
            ['配送费', (z) => yuan(z.fee)],
            ['起送价', (z) => yuan(z.minOrder)],
            ['送达时间', (z) => `${z.minutes} 分钟`],
          ]}
        />
      </Section>
      <Section title="平台绑定">
        <Table
          rows={bindings}
          empty="未绑定平台（总部可见）"
          columns={[
            ['平台', (b) => (b.platform === 'meituan' ? '美团' : '饿了么')],
            ['状态', (b) => ({ bound: '已绑定', unbound: '已解绑', never: '未绑定' })[b.status]],
            ['平台门店', (b) => b.platformStoreId ?? '—'],
          ]}
        />
      </Section>
      <Section title="桌台二维码（扫码点餐）">
        <div className="form">
          <label>
            桌号 <input value={tableNo} onChange={(e) => setTableNo(e.target.value)} />
          </label>
          <button type="button" onClick={makeTable} data-testid="make-table">
            生成
          </button>
        </div>
        {table && (
          <p data-testid="table-code">
            {table.storeName} {table.tableNo} 号桌：小程序码参数 scene = <code>{table.code}</code>
          </p>
        )}
      </Section>
    </div>
  );
}
