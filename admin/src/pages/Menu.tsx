import { useCallback, useEffect, useState } from 'react';
import type {
  AuditResponse,
  CategoryView,
  ChannelPriceRuleView,
  ImportResult,
  ProductView,
  PublishResponse,
  StorePriceAdjustmentView,
  SyncStatusResponse,
} from 'shared-types';
import { api, CHANNEL_NAMES, get, type Store, yuan } from '../api';
import { ErrorLine, Section, StorePicker, Table } from '../ui';

const PLATFORM_NAMES: Record<string, string> = { meituan: '美团', eleme: '饿了么' };

function rangeText(c: CategoryView) {
  const r = c.storePriceRange;
  if (!r) return '不允许门店调价';
  return r.kind === 'percent' ? `${r.min / 100}% ~ ${r.max / 100}%` : `${yuan(r.min)} ~ ${yuan(r.max)}`;
}

/** 菜单: categories and their store price ranges, dishes with specs and SKU prices, channel prices, publish, sync, audit, import. */
export function Menu({ stores, role }: { stores: Store[]; role: string }) {
  const hq = role === 'hq_admin';
  const [categories, setCategories] = useState<CategoryView[]>([]);
  const [products, setProducts] = useState<ProductView[]>([]);
  const [rules, setRules] = useState<ChannelPriceRuleView[]>([]);
  const [sync, setSync] = useState<SyncStatusResponse | null>(null);
  const [audit, setAudit] = useState<AuditResponse | null>(null);
  const [storeId, setStoreId] = useState(stores[0]?.id ?? '');
  const [adjustments, setAdjustments] = useState<StorePriceAdjustmentView[]>([]);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const [c, p, r, s] = await Promise.all([
        get<{ categories: CategoryView[] }>('/api/admin/catalog/categories'),
        get<{ products: ProductView[] }>('/api/admin/catalog/products'),
        get<{ rules: ChannelPriceRuleView[] }>('/api/admin/catalog/channel-prices'),
        get<SyncStatusResponse>('/api/admin/catalog/sync-status'),
      ]);
      setCategories(c.categories);
      setProducts(p.products);
      setRules(r.rules);
      setSync(s);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);
  useEffect(() => {
    if (!storeId) return;
    get<{ adjustments: StorePriceAdjustmentView[] }>(`/api/admin/catalog/stores/${storeId}/prices`)
      .then((a) => setAdjustments(a.adjustments))
      .catch(setError);
  }, [storeId]);

  const savePrice = async (skuId: string) => {
    const text = drafts[skuId];
    if (text === undefined) return;
    setError(null);
    try {
      await api('PATCH', `/api/admin/catalog/skus/${skuId}`, { basePrice: Math.round(Number(text) * 100) });
      setDrafts(({ [skuId]: _, ...rest }) => rest);
      setMessage('价格已保存，发布后同步到平台');
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const publish = async () => {
    setError(null);
    try {
      const r = await api<PublishResponse>('POST', '/api/admin/catalog/publish', {});
      setMessage(`已发布：${r.storeCount} 家门店，${r.callsQueued} 个平台调用排队中`);
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const runAudit = async () => {
    setError(null);
    try {
      setAudit(await get<AuditResponse>('/api/admin/catalog/audit'));
    } catch (e) {
      setError(e);
    }
  };
  const importCsv = async (file: File) => {
    setError(null);
    try {
      const r = await api<ImportResult>('POST', '/api/admin/catalog/import', await file.text(), 'text/csv');
      setMessage(r.replayed ? '这个文件已经导入过，未重复应用' : `已导入 ${r.rows} 行`);
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const categoryName = (id: string) => categories.find((c) => c.id === id)?.name ?? '';

  return (
    <div>
      <Section
        title="发布与同步"
        actions={
          hq && (
            <>
              <button type="button" onClick={publish} data-testid="publish">
                发布到美团、饿了么
              </button>
              <button type="button" onClick={() => load()} data-testid="refresh-sync">
                刷新同步状态
              </button>
              <button type="button" onClick={runAudit}>
                一致性检查
              </button>
              <label className="file">
                导入 CSV
                <input
                  type="file"
                  accept=".csv,text/csv"
                  onChange={(e) => e.target.files?.[0] && importCsv(e.target.files[0])}
                />
              </label>
            </>
          )
        }
      >
        {message && <p className="ok">{message}</p>}
        <ErrorLine error={error} />
        <Table
          testId="sync-status"
          rows={sync?.targets ?? []}
          columns={[
            ['门店', (t) => t.storeCode],
            ['平台', (t) => PLATFORM_NAMES[t.platform] ?? t.platform],
            ['绑定', (t) => (t.binding === 'bound' ? '已绑定' : '未绑定')],
            ['已同步', (t) => t.counts.in_step],
            ['等待中', (t) => t.counts.pending],
            ['失败', (t) => t.counts.failed],
            [
              '状态',
              (t) =>
                t.binding !== 'bound'
                  ? '—'
                  : t.counts.failed > 0
                    ? '有失败'
                    : t.counts.pending > 0
                      ? '同步中'
                      : '已一致',
            ],
          ]}
        />
        {audit && (
          <Table
            rows={audit.findings}
            empty="平台菜单与总部一致"
            columns={[
              ['门店', (f) => f.storeCode],
              ['平台', (f) => (f.platform ? PLATFORM_NAMES[f.platform] : '—')],
              ['问题', (f) => f.kind],
              ['编码', (f) => f.code ?? '—'],
              ['说明', (f) => f.message],
            ]}
          />
        )}
      </Section>
      <Section title="分类与门店调价范围">
        <Table
          rows={categories}
          columns={[
            ['编码', (c) => c.code],
            ['分类', (c) => c.name],
            ['门店调价范围', rangeText],
            ['状态', (c) => (c.status === 'active' ? '在用' : '已归档')],
          ]}
        />
      </Section>
      <Section title="菜品、规格与价格">
        <Table
          testId="products"
          rows={products
            .map((p) => ({ p, order: categories.findIndex((c) => c.id === p.categoryId) }))
            .sort((a, b) => a.order - b.order || a.p.code.localeCompare(b.p.code))
            .flatMap(({ p }) => p.skus.map((s) => ({ p, s })))}
          columns={[
            ['分类', ({ p }) => categoryName(p.categoryId)],
            ['菜品', ({ p }) => `${p.code} ${p.name}`],
            ['规格', ({ s }) => s.specText || '—'],
            ['SKU', ({ s }) => s.code],
            ['成本', ({ s }) => yuan(s.cost)],
            ['打包费', ({ s }) => yuan(s.packagingFee)],
            [
              '总部价 (元)',
              ({ s }) =>
                hq ? (
                  <span className="price-edit">
                    <input
                      data-testid={`price-${s.code}`}
                      value={drafts[s.id] ?? (s.basePrice / 100).toFixed(2)}
                      onChange={(e) => setDrafts((d) => ({ ...d, [s.id]: e.target.value }))}
                    />
                    {drafts[s.id] !== undefined && (
                      <button type="button" data-testid={`save-${s.code}`} onClick={() => savePrice(s.id)}>
                        保存
                      </button>
                    )}
                  </span>
                ) : (
                  yuan(s.basePrice)
                ),
            ],
            ['加料组', ({ p }) => p.addonGroupIds.length],
          ]}
        />
      </Section>
      <Section title="渠道价格规则">
        <Table
          rows={rules}
          empty="各渠道按总部价售卖"
          columns={[
            ['渠道', (r) => CHANNEL_NAMES[r.channel]],
            ['范围', (r) => JSON.stringify(r.target)],
            ['方式', (r) => ({ percent: '按比例', amount: '加减金额', fixed: '固定价' })[r.kind]],
            ['值', (r) => (r.kind === 'percent' ? `${r.value / 100}%` : yuan(r.value))],
          ]}
        />
      </Section>
      <Section title="门店调价" actions={<StorePicker stores={stores} value={storeId} onChange={setStoreId} />}>
        <Table
          rows={adjustments}
          empty="该门店按总部价售卖"
          columns={[
            ['SKU', (a) => a.skuCode],
            ['调整', (a) => (a.kind === 'percent' ? `${a.value / 100}%` : yuan(a.value))],
            ['位置', (a) => ({ inside: '范围内', min: '下限', max: '上限', outside: '超出范围' })[a.position]],
            ['小程序价', (a) => yuan(a.prices.miniapp)],
            ['美团价', (a) => yuan(a.prices.meituan)],
            ['饿了么价', (a) => yuan(a.prices.eleme)],
          ]}
        />
      </Section>
    </div>
  );
}
