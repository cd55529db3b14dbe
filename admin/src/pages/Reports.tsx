import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useState } from 'react';
import type { ChannelKpiResponse, ChannelMixResponse, PriceDisciplineResponse } from 'shared-types';
import { CHANNEL_NAMES, CHANNELS, download, get, percent, type Store, yuan } from '../api';
import { Chart } from '../chart';
import { ErrorLine, Section, StorePicker, Table } from '../ui';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);

/** 报表: channel mix as stacked bars over time, KPIs as small multiples, price discipline; CSV export. */
export function Reports({ stores }: { stores: Store[] }) {
  const [from, setFrom] = useState(daysAgo(13));
  const [to, setTo] = useState(today());
  const [groupBy, setGroupBy] = useState<'day' | 'week' | 'month'>('day');
  const [storeId, setStoreId] = useState('');
  const [regionId, setRegionId] = useState('');
  const [mix, setMix] = useState<ChannelMixResponse | null>(null);
  const [kpis, setKpis] = useState<ChannelKpiResponse | null>(null);
  const [prices, setPrices] = useState<PriceDisciplineResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const regions = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const s of stores) map.set(s.regionId, [...(map.get(s.regionId) ?? []), s.code]);
    return [...map.entries()];
  }, [stores]);
  const qs = useMemo(() => {
    const p = new URLSearchParams({ from, to, groupBy });
    if (storeId) p.set('storeId', storeId);
    if (regionId) p.set('regionId', regionId);
    return p.toString();
  }, [from, to, groupBy, storeId, regionId]);

  useEffect(() => {
    setError(null);
    const filter = new URLSearchParams();
    if (storeId) filter.set('storeId', storeId);
    if (regionId) filter.set('regionId', regionId);
    Promise.all([
      get<ChannelMixResponse>(`/api/admin/reports/channel-mix?${qs}`),
      get<ChannelKpiResponse>(`/api/admin/reports/channel-kpis?${qs}`),
      get<PriceDisciplineResponse>(`/api/admin/reports/price-discipline?${filter}`),
    ])
      .then(([m, k, p]) => {
        setMix(m);
        setKpis(k);
        setPrices(p);
      })
      .catch(setError);
  }, [qs, storeId, regionId]);

  const periods = useMemo(() => [...new Set((mix?.rows ?? []).map((r) => r.period))].sort(), [mix]);
  const mixOption = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => yuan(Number(v) * 100) },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value', name: '营业额 (元)' },
      series: CHANNELS.map((c) => ({
        name: CHANNEL_NAMES[c],
        type: 'bar',
        stack: 'gross',
        data: periods.map(
          (p) =>
            (mix?.rows ?? []).filter((r) => r.period === p && r.channel === c).reduce((s, r) => s + r.gross, 0) / 100,
        ),
      })),
    }),
    [mix, periods],
  );
  const kpiPeriods = useMemo(() => [...new Set((kpis?.rows ?? []).map((r) => r.period))].sort(), [kpis]);
  const small = (title: string, value: (r: ChannelKpiResponse['rows'][number]) => number | null, unit: string) =>
    ({
      title: { text: title, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 10, top: 36, bottom: 24 },
      xAxis: { type: 'category', data: kpiPeriods },
      yAxis: { type: 'value', name: unit },
      series: CHANNELS.map((c) => ({
        name: CHANNEL_NAMES[c],
        type: 'line',
        data: kpiPeriods.map((p) => {
          const r = kpis?.rows.find((x) => x.period === p && x.channel === c);
          return r ? value(r) : null;
        }),
      })),
    }) satisfies EChartsOption;

  return (
    <div>
      <Section
        title="筛选"
        actions={
          <>
            <button
              type="button"
              onClick={() => download(`/api/admin/reports/channel-mix?${qs}&format=csv`, 'channel-mix.csv')}
            >
              导出渠道构成 CSV
            </button>
            <button
              type="button"
              onClick={() => download(`/api/admin/reports/channel-kpis?${qs}&format=csv`, 'channel-kpis.csv')}
            >
              导出渠道指标 CSV
            </button>
          </>
        }
      >
        <div className="filters">
          <label>
            从 <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="from" />
          </label>
          <label>
            到 <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="to" />
          </label>
          <label>
            汇总{' '}
            <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}>
              <option value="day">按日</option>
              <option value="week">按周</option>
              <option value="month">按月</option>
            </select>
          </label>
          <label>
            区域{' '}
            <select value={regionId} onChange={(e) => setRegionId(e.target.value)}>
              <option value="">全部区域</option>
              {regions.map(([id, codes]) => (
                <option key={id} value={id}>
                  {codes.join('、')}
                </option>
              ))}
            </select>
          </label>
          <StorePicker stores={stores} value={storeId} onChange={setStoreId} allowAll />
        </div>
        <ErrorLine error={error} />
      </Section>
      <Section title="渠道构成（营业额，按渠道堆叠）">
        <Chart option={mixOption} testId="channel-mix-chart" />
      </Section>
      <Section title="渠道指标">
        <div className="multiples">
          <Chart height={220} option={small('客单价', (r) => r.averageTicket / 100, '元')} />
          <Chart
            height={220}
            option={small('毛利率', (r) => (r.grossMarginBp == null ? null : r.grossMarginBp / 100), '%')}
          />
          <Chart
            height={220}
            option={small('退款率', (r) => (r.refundRateBp == null ? null : r.refundRateBp / 100), '%')}
          />
          <Chart
            height={220}
            option={small('取消率', (r) => (r.cancelRateBp == null ? null : r.cancelRateBp / 100), '%')}
          />
        </div>
      </Section>
      <Section title="门店 × 渠道明细">
        <Table
          testId="channel-mix-table"
          rows={mix?.rows ?? []}
          columns={[
            ['日期', (r) => r.period],
            ['门店', (r) => `${r.storeCode} ${r.storeName}`],
            ['渠道', (r) => CHANNEL_NAMES[r.channel]],
            ['订单', (r) => r.orders],
            ['营业额', (r) => yuan(r.gross)],
            ['平台补贴', (r) => yuan(r.discountPlatform)],
            ['商家优惠', (r) => yuan(r.discountMerchant)],
            ['打包费', (r) => yuan(r.packagingFee)],
            ['配送费', (r) => yuan(r.deliveryFee)],
            ['实付', (r) => yuan(r.paid)],
            ['商家收入', (r) => yuan(r.merchantIncome)],
          ]}
        />
        {mix && (
          <p className="totals" data-testid="mix-total">
            合计：{mix.totals.all.orders} 单，营业额 {yuan(mix.totals.all.gross)}，商家收入{' '}
            {yuan(mix.totals.all.merchantIncome)}
          </p>
        )}
      </Section>
      <Section title="价格纪律（门店调价离总部基准的距离）">
        <Table
          rows={prices?.stores ?? []}
          columns={[
            ['门店', (r) => `${r.storeCode} ${r.storeName}`],
            ['调价 SKU', (r) => r.adjustedSkus],
            ['平均偏离', (r) => percent(r.averageDistanceBp)],
            ['最大偏离', (r) => percent(r.maxDistanceBp)],
            ['在边界', (r) => r.atEdge],
            ['接近边界', (r) => r.nearEdge],
            ['超出范围', (r) => r.outside],
          ]}
        />
      </Section>
    </div>
  );
}
