import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, get, type Store, session, whenSignedOut } from './api';
import { Menu } from './pages/Menu';
import { Orders } from './pages/Orders';
import { Reports } from './pages/Reports';
import { Stock } from './pages/Stock';
import { Stores } from './pages/Stores';
import { ErrorLine } from './ui';
import './style.css';

interface Staff {
  username: string;
  displayName?: string;
  role: string;
}
const ROLE_NAMES: Record<string, string> = {
  hq_admin: '总部',
  region_manager: '区域经理',
  store_manager: '店长',
  clerk: '店员',
};
const PAGES = [
  ['reports', '报表'],
  ['menu', '菜单'],
  ['stores', '门店'],
  ['stock', '库存'],
  ['orders', '订单'],
] as const;
type Page = (typeof PAGES)[number][0];

function Login({ onIn }: { onIn: (staff: Staff) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ token: string; staff: Staff }>('POST', '/api/admin/login', { username, password });
      session.set(r.token);
      onIn(r.staff);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="login card" onSubmit={submit}>
      <h1>合一 · 管理后台</h1>
      <label>
        账号{' '}
        <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
      </label>
      <label>
        密码{' '}
        <input
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
        />
      </label>
      <button type="submit">登录</button>
      <ErrorLine error={error} />
    </form>
  );
}

function App() {
  const [staff, setStaff] = useState<Staff | null>(null);
  const [stores, setStores] = useState<Store[]>([]);
  const [page, setPage] = useState<Page>(() => (location.hash.slice(1) as Page) || 'reports');
  const loadStores = useCallback(() => {
    get<{ stores: Store[] }>('/api/admin/stores')
      .then((r) => setStores(r.stores))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    whenSignedOut(() => setStaff(null));
    if (session.token) {
      get<{ staff: Staff }>('/api/admin/me')
        .then((r) => setStaff(r.staff))
        .catch(() => session.set(null));
    }
  }, []);
  useEffect(() => {
    if (staff) loadStores();
  }, [staff, loadStores]);
  useEffect(() => {
    location.hash = page;
  }, [page]);

  if (!staff) return <Login onIn={setStaff} />;
  return (
    <div className="shell">
      <nav>
        <strong>合一 · 管理后台</strong>
        {PAGES.map(([id, name]) => (
          <button
            key={id}
            type="button"
            className={page === id ? 'active' : ''}
            onClick={() => setPage(id)}
            data-testid={`nav-${id}`}
          >
            {name}
          </button>
        ))}
        <span className="who" data-testid="who">
          {staff.displayName ?? staff.username}（{ROLE_NAMES[staff.role] ?? staff.role}）· {stores.length} 家门店
        </span>
        <button
          type="button"
          onClick={() => {
            session.set(null);
            setStaff(null);
          }}
        >
          退出
        </button>
      </nav>
      <main>
        {stores.length > 0 && page === 'reports' && <Reports stores={stores} />}
        {stores.length > 0 && page === 'menu' && <Menu stores={stores} role={staff.role} />}
        {stores.length > 0 && page === 'stores' && <Stores stores={stores} onChanged={loadStores} />}
        {stores.length > 0 && page === 'stock' && <Stock stores={stores} />}
        {stores.length > 0 && page === 'orders' && <Orders stores={stores} />}
      </main>
    </div>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
