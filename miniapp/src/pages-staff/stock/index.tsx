import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { StockSkuView } from 'shared-types';
import { ApiError } from '../../services/api';
import { messageOf } from '../../services/errors';
import { currentStoreId, getStock, setSoldOut } from '../../services/staff';
import '../staff.css';

/** The SKUs by category, in the order the BFF lists them (menu order), keeping only those that match `search`. */
export function groupByCategory(
  items: readonly StockSkuView[],
  search: string,
): { category: string; items: StockSkuView[] }[] {
  const needle = search.trim().toLowerCase();
  const groups: { category: string; items: StockSkuView[] }[] = [];
  for (const item of items) {
    const text = `${item.name}${item.specText}${item.skuCode}`.toLowerCase();
    if (needle && !text.includes(needle)) continue;
    const last = groups[groups.length - 1];
    if (last && last.category === item.category) last.items.push(item);
    else groups.push({ category: item.category, items: [item] });
  }
  return groups;
}

/** 沽清管理: every SKU the store carries, by menu category, with search and a sold-out toggle. */
export default function StockPage() {
  const [storeId] = useState(currentStoreId);
  const [items, setItems] = useState<StockSkuView[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');
  const [search, setSearch] = useState('');

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

  const groups = items ? groupByCategory(items, search) : [];
  const outCount = items?.filter((i) => i.soldOut).length ?? 0;
  return (
    <View className="staff stock">
      <View className="stock__head">
        <Input
          className="stock__search"
          placeholder="搜索菜品名称或编码"
          value={search}
          onInput={(e: { detail: { value: string } }) => setSearch(e.detail.value)}
        />
        {items ? <Text className="stock__summary">{outCount > 0 ? `${outCount} 项已沽清` : '全部在售'}</Text> : null}
      </View>
      {error && <Text className="staff__error">{error}</Text>}
      {items === null && !error && <Text className="staff__hint">正在加载…</Text>}
      {items !== null && groups.length === 0 && (
        <Text className="staff__hint">{search.trim() ? '没有找到相关菜品' : '门店暂无在售菜品'}</Text>
      )}
      {groups.map((group) => (
        <View className="stock-group" key={group.category}>
          <Text className="stock-group__name">{group.category}</Text>
          {group.items.map((item) => (
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
              <View
                className={`kbtn stock-row__toggle ${item.soldOut ? 'stock-row__toggle--restore' : 'kbtn--warn'}${busy === item.skuCode ? ' kbtn--busy' : ''}`}
                onClick={() => void toggle(item)}
              >
                {item.soldOut ? '恢复供应' : '沽清'}
              </View>
            </View>
          ))}
        </View>
      ))}
    </View>
  );
}
