import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { StoreView } from 'shared-types';
import StoreCard from '../../components/StoreCard';
import { ApiError, listStores } from '../../services/api';
import { messageOf as chineseMessage } from '../../services/errors';
import { resolveTable } from '../../services/member';
import { MY_ORDERS_URL, menuUrl } from '../../utils/routes';
import './index.css';

type ListState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; stores: StoreView[] };

function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : '门店加载失败，请稍后再试';
}

/**
 * The table code the app was opened with: the mini-program code's `scene` (URL-encoded by WeChat)
 * on weapp, `?table=<code>` on H5 (before or inside the hash route).
 */
function scannedTableCode(params: Partial<Record<string, string>>): string {
  const raw = params.scene ?? params.table;
  if (raw) return decodeURIComponent(raw);
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') {
    return new URLSearchParams(window.location.search).get('table') ?? '';
  }
  return '';
}

/**
 * The diner's position, so the list says how far each store is and puts the nearest first; null
 * when they decline or it takes too long (the list then comes in the brand's order).
 */
async function whereAmI(): Promise<{ lat: number; lng: number } | undefined> {
  if (typeof Taro.getLocation !== 'function') return undefined;
  try {
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000));
    // Taro's H5 getLocation knows only WGS-84 (a few hundred metres off China's GCJ-02 maps):
    // close enough to sort stores and say roughly how far they are.
    const type = process.env.TARO_ENV === 'h5' ? 'wgs84' : 'gcj02';
    const found = await Promise.race([Taro.getLocation({ type }), timeout]);
    return found ? { lat: found.latitude, lng: found.longitude } : undefined;
  } catch {
    return undefined;
  }
}

export default function StorePickerPage() {
  const { params } = useRouter();
  const [state, setState] = useState<ListState>({ kind: 'loading' });

  const loadStores = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      const { stores } = await listStores(await whereAmI());
      setState({ kind: 'ready', stores });
    } catch (err) {
      setState({ kind: 'failed', message: messageOf(err) });
    }
  }, []);

  useLoad(() => {
    const tableCode = scannedTableCode(params);
    if (!tableCode) {
      void loadStores();
      return;
    }
    // 扫码点餐: the table decides the store, and the order is dine-in at that table.
    setState({ kind: 'loading' });
    resolveTable(tableCode)
      .then((table) =>
        Taro.redirectTo({
          url: menuUrl(table.storeId, table.storeName, { code: table.code, tableNo: table.tableNo }),
        }),
      )
      .catch((err: unknown) => {
        void Taro.showToast({ title: chineseMessage(err, '桌码无效，请重新扫描'), icon: 'none' });
        void loadStores();
      });
  });

  return (
    <View className="store-picker">
      {state.kind === 'loading' && <Text className="store-picker__loading">正在加载门店…</Text>}
      {state.kind === 'failed' && (
        <View className="store-picker__error">
          <Text className="store-picker__error-message">{state.message}</Text>
          <Button className="store-picker__retry" size="mini" onClick={() => void loadStores()}>
            重试
          </Button>
        </View>
      )}
      {state.kind === 'ready' && state.stores.length === 0 && <Text className="store-picker__empty">暂无可选门店</Text>}
      {state.kind === 'ready' &&
        state.stores.map((store) => (
          <View
            className="store-picker__item"
            key={store.id}
            data-store-code={store.code}
            onClick={() => void Taro.navigateTo({ url: menuUrl(store.id, store.name) })}
          >
            <StoreCard store={store} />
          </View>
        ))}
      <View className="store-picker__links">
        <View className="store-picker__my-orders" onClick={() => void Taro.navigateTo({ url: MY_ORDERS_URL })}>
          我的订单
        </View>
        <View className="store-picker__staff" onClick={() => void Taro.navigateTo({ url: '/pages-staff/login/index' })}>
          门店员工
        </View>
      </View>
    </View>
  );
}
