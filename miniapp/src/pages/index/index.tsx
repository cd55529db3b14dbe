import { Button, Text, View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { StoreView } from 'shared-types';
import StoreCard from '../../components/StoreCard';
import { ApiError, listStores } from '../../services/api';
import './index.css';

type ListState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; stores: StoreView[] };

function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : '门店加载失败，请稍后再试';
}

export default function StorePickerPage() {
  const [state, setState] = useState<ListState>({ kind: 'loading' });

  const loadStores = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      const { stores } = await listStores();
      setState({ kind: 'ready', stores });
    } catch (err) {
      setState({ kind: 'failed', message: messageOf(err) });
    }
  }, []);

  useLoad(() => {
    void loadStores();
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
      {state.kind === 'ready' && state.stores.map((store) => <StoreCard key={store.id} store={store} />)}
    </View>
  );
}
