import { Text, View } from '@tarojs/components';
import type { StoreView } from 'shared-types';
import type { DineInTable } from '../cart/cart';
import { formatDistance } from '../utils/format-distance';
import { hoursToday } from '../utils/hours';
import type { OrderingState } from '../utils/ordering';
import './StoreHeader.css';

interface StoreHeaderProps {
  store: StoreView | null;
  /** Shown while the store list is still loading (the name the menu was opened with). */
  name: string;
  table: DineInTable | null;
  ordering: OrderingState;
}

/** The menu's head: the store, whether it is open, today's hours, where it is; the closed banner. */
export default function StoreHeader({ store, name, table, ordering }: StoreHeaderProps) {
  return (
    <View className="store-header">
      <View className="store-header__top">
        <Text className="store-header__name">{name}</Text>
        {store ? (
          <Text className={`store-header__status store-header__status--${store.openNow ? 'open' : 'closed'}`}>
            {store.openNow ? '营业中' : '休息中'}
          </Text>
        ) : null}
      </View>
      {store ? (
        <View className="store-header__meta">
          <Text className="store-header__hours">营业时间 {hoursToday(store)}</Text>
          {store.distanceM !== null ? (
            <Text className="store-header__distance">距您 {formatDistance(store.distanceM)}</Text>
          ) : null}
        </View>
      ) : null}
      {store ? <Text className="store-header__address">{store.address}</Text> : null}
      {table ? <Text className="store-header__table">堂食 · {table.tableNo} 号桌</Text> : null}
      {ordering.banner ? (
        <View className={`store-header__banner store-header__banner--${ordering.kind}`}>
          <Text>{ordering.banner}</Text>
        </View>
      ) : null}
    </View>
  );
}
