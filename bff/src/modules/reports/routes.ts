import type { Context } from 'koa';
import {
  ChannelKpiResponse,
  ChannelMixResponse,
  NewDishQuery,
  OperationsResponse,
  PriceDisciplineQuery,
  PriceDisciplineResponse,
  ProductResponse,
  ReportQuery,
  SoldOutResponse,
  type StaffRole,
} from 'shared-types';
import type { ZodType } from 'zod';
import type { RouteRegistry, StaffPrincipal } from '../../http/router';
import { toCsv } from './csv';
import type { ReportService } from './service';

const tags = ['reports'];
/** Clerks run the kitchen; reports are for managers and HQ. */
const auth: readonly StaffRole[] = ['hq_admin', 'region_manager', 'store_manager'];

/** Answers the report as CSV (UTF-8 with BOM) when asked, else as JSON. */
function answer<T extends { rows: object[] }>(ctx: Context, name: string, format: string, report: T): T {
  if (format !== 'csv') return report;
  ctx.status = 200;
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('content-disposition', `attachment; filename="${name}.csv"`);
  ctx.body = toCsv(report.rows as Record<string, unknown>[]);
  ctx.state.responded = true;
  // The router sends nothing more once a handler has responded; the JSON report is not sent.
  return report;
}

export function reportRoutes(routes: RouteRegistry, reports: ReportService): void {
  const dated: [string, string, ZodType, (s: StaffPrincipal, q: ReportQuery) => Promise<{ rows: object[] }>][] = [
    [
      'channel-mix',
      'Channel mix per store × channel: orders, gross, discounts by payer, packaging, delivery fees, merchant income',
      ChannelMixResponse,
      (s, q) => reports.channelMix(s, q),
    ],
    [
      'channel-kpis',
      'Per-channel KPIs: average ticket, gross margin (SKU cost), refund rate and amount, cancel rate with reasons',
      ChannelKpiResponse,
      (s, q) => reports.channelKpis(s, q),
    ],
    [
      'products',
      'Product performance by channel: quantity, revenue and margin per SKU',
      ProductResponse,
      (s, q) => reports.products(s, q),
    ],
    [
      'operations',
      'Operations per store × channel: average prep time (accepted → ready), orders ready after their promised time',
      OperationsResponse,
      (s, q) => reports.operations(s, q),
    ],
    [
      'sold-out',
      'Minutes each SKU or product was sold out, from the stock history',
      SoldOutResponse,
      (s, q) => reports.soldOut(s, q),
    ],
  ];
  for (const [name, summary, response, run] of dated) {
    routes.add({
      method: 'get',
      path: `/api/admin/reports/${name}`,
      summary: `${summary}. Dates in the store's timezone; \`format=csv\` answers CSV (UTF-8 with BOM)`,
      tags,
      auth,
      query: ReportQuery,
      response,
      handler: async ({ query, auth: a, ctx }) => answer(ctx, name, query.format, await run(a.staff, query)),
    });
  }
  routes.add({
    method: 'get',
    path: '/api/admin/reports/new-dish',
    summary: 'A dish on every channel from its launch date; `format=csv` answers CSV (UTF-8 with BOM)',
    tags,
    auth,
    query: NewDishQuery,
    response: ProductResponse,
    handler: async ({ query, auth: a, ctx }) =>
      answer(ctx, 'new-dish', query.format, await reports.newDish(a.staff, query)),
  });
  routes.add({
    method: 'get',
    path: '/api/admin/reports/price-discipline',
    summary: 'Per store, how far its prices sit from the HQ base, and adjustments at or near the edge of their range',
    tags,
    auth,
    query: PriceDisciplineQuery,
    response: PriceDisciplineResponse,
    handler: async ({ query, auth: a, ctx }) =>
      answer(ctx, 'price-discipline', query.format, await reports.priceDiscipline(a.staff, query)),
  });
}
