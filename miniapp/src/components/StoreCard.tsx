import { Text, View } from '@tarojs/components';
import type { StoreView } from 'shared-types';
import { formatDistance } from '../utils/format-distance';
import { dayAndTime, hoursToday } from '../utils/hours';
import './StoreCard.css';

interface StoreCardProps {
  store: StoreView;
}

/** One store on the store list: open or closed (with its next opening), today's hours, address, distance. */
export default function StoreCard({ store }: StoreCardProps) {
  return (
    <View className="store-card">
      <View className="store-card__head">
        <Text className="store-name">{store.name}</Text>
        <Text className={`store-status ${store.openNow ? 'store-status--open' : 'store-status--closed'}`}>
          {store.openNow ? '营业中' : '休息中'}
        </Text>
      </View>
      <View className="store-card__hours">
        <Text className="store-hours">
          {!store.openNow && store.nextOpenAt
            ? `${dayAndTime(store.nextOpenAt, store.timezone)} 营业`
            : `营业时间 ${hoursToday(store)}`}
        </Text>
        {store.preorderDays > 0 ? <Text className="store-preorder">可预约自取</Text> : null}
      </View>
      <View className="store-card__foot">
        <Text className="store-address">{store.address}</Text>
        {store.distanceM !== null && <Text className="store-distance">{formatDistance(store.distanceM)}</Text>}
      </View>
    </View>
  );
}
