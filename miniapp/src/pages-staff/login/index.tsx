import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { StoreView } from 'shared-types';
import { messageOf } from '../../services/errors';
import { setCurrentStore, staffSignIn, staffStores } from '../../services/staff';
import '../staff.css';

type InputEvent = { detail: { value: string } };

/** 门店员工登录: a clerk of one store goes straight to its queue; wider roles pick a store first. */
export default function StaffLoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [stores, setStores] = useState<StoreView[] | null>(null);

  const openStore = (storeId: string) => {
    setCurrentStore(storeId);
    void Taro.redirectTo({ url: '/pages-staff/queue/index' });
  };

  const submit = async () => {
    if (busy) return;
    if (!username.trim() || !password) {
      setError('请输入用户名和密码');
      return;
    }
    setBusy(true);
    setError('');
    try {
      const staff = await staffSignIn(username.trim(), password);
      if (staff.scope.kind === 'store') return openStore(staff.scope.storeId);
      const { stores: inScope } = await staffStores();
      if (inScope.length === 1 && inScope[0]) return openStore(inScope[0].id);
      setStores(inScope);
    } catch (err) {
      setError(messageOf(err, '登录失败，请稍后再试'));
    } finally {
      setBusy(false);
    }
  };

  if (stores) {
    return (
      <View className="staff">
        <Text className="staff__title">选择门店</Text>
        {stores.map((store) => (
          <View className="staff-store" key={store.id} onClick={() => openStore(store.id)}>
            {store.name}
          </View>
        ))}
        {stores.length === 0 && <Text className="staff__hint">没有可管理的门店</Text>}
      </View>
    );
  }

  return (
    <View className="staff staff-login">
      <Text className="staff__title">门店员工登录</Text>
      <Input
        className="staff__input staff-login__username"
        placeholder="用户名"
        value={username}
        onInput={(e: InputEvent) => setUsername(e.detail.value)}
      />
      <Input
        className="staff__input staff-login__password"
        password
        placeholder="密码"
        value={password}
        onInput={(e: InputEvent) => setPassword(e.detail.value)}
      />
      {error && <Text className="staff__error">{error}</Text>}
      <Button
        className="staff-login__submit"
        type="primary"
        loading={busy || undefined}
        disabled={busy || undefined}
        onClick={() => void submit()}
      >
        登录
      </Button>
    </View>
  );
}
