import { Text, View } from '@tarojs/components';
import type { StoreView } from 'shared-types';
import { formatDistance } from '../utils/format-distance';
import './StoreCard.css';

interface StoreCardProps {
  store: StoreView;
}

export default function StoreCard({ store }: StoreCardProps) {
  return (
    <View className="store-card">
      <View className="store-card__head">
        <Text className="store-name">{store.name}</Text>
        <Text className={`store-status ${store.openNow ? 'store-status--open' : 'store-status--closed'}`}>
          {store.openNow ? '营业中' : '休息中'}
        </Text>
      </View>
      <View className="store-card__foot">
        <Text className="store-address">{store.address}</Text>
        {store.distanceM !== null && <Text className="store-distance">{formatDistance(store.distanceM)}</Text>}
      </View>
    </View>
  );
}
