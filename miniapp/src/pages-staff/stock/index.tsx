import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { StockSkuView } from 'shared-types';
import { ApiError } from '../../services/api';
import { messageOf } from '../../services/errors';
import { currentStoreId, getStock, setSoldOut } from '../../services/staff';
import '../staff.css';

/** 沽清管理: every SKU the store carries, with a sold-out toggle. */
export default function StockPage() {
  const [storeId] = useState(currentStoreId);
  const [items, setItems] = useState<StockSkuView[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');

  const load = useCallback(async () => {
    try {
      setItems((await getStock(storeId)).items);
      setError('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        void Taro.redirectTo({ url: '/pages-staff/login/index' });
        return;
      }
      setError(messageOf(err, '库存加载失败'));
    }
  }, [storeId]);

  useEffect(() => {
    if (storeId) void load();
    else void Taro.redirectTo({ url: '/pages-staff/login/index' });
  }, [storeId, load]);

  const toggle = async (item: StockSkuView) => {
    if (busy) return;
    setBusy(item.skuCode);
    try {
      const { items: changed } = await setSoldOut(storeId, item.skuCode, !item.soldOut);
      setItems((list) => list?.map((i) => changed.find((c) => c.skuCode === i.skuCode) ?? i) ?? null);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy('');
    }
  };

  return (
    <View className="staff">
      <Text className="staff__title">沽清管理</Text>
      {error && <Text className="staff__error">{error}</Text>}
      {items === null && !error && <Text className="staff__hint">正在加载…</Text>}
      {items?.map((item) => (
        <View className="stock-row" key={item.skuCode} data-sku={item.skuCode}>
          <View className="stock-row__info">
            <Text className="stock-row__name">
              {item.name}
              {item.specText ? `（${item.specText}）` : ''}
            </Text>
            <Text className={`stock-row__state${item.soldOut ? ' stock-row__state--out' : ''}`}>
              {item.soldOut ? (item.soldOutReason === 'quantity' ? '已售完' : '已沽清') : '在售'}
              {item.quantity !== null ? ` · 剩 ${item.quantity}` : ''}
            </Text>
          </View>
          <Button
            className="stock-row__toggle"
            size="mini"
            type={item.soldOut ? 'default' : 'warn'}
            disabled={busy === item.skuCode || undefined}
            onClick={() => void toggle(item)}
          >
            {item.soldOut ? '恢复供应' : '沽清'}
          </Button>
        </View>
      ))}
    </View>
  );
}
