import { DineInTableView, Ulid } from 'shared-types';
import { z } from 'zod';
import type { RouteRegistry } from '../../http/router';
import { resolveTable, type TableCodes } from '../../modules/checkout/table-code';
import type { StoreService } from '../../modules/stores/service';

export function dineInRoutes(routes: RouteRegistry, codes: TableCodes, stores: StoreService): void {
  routes.add({
    method: 'get',
    path: '/api/mp/dinein/tables/:code',
    summary: 'The store and table of a scanned dine-in code',
    tags: ['mini-program', 'dine-in'],
    auth: 'public',
    params: z.object({ code: z.string().min(1).max(64) }),
    response: DineInTableView,
    handler: async ({ params }) => {
      const { store, tableNo } = await resolveTable(codes, stores, params.code);
      return { storeId: store.id, storeName: store.name, tableNo, code: params.code };
    },
  });

  routes.add({
    method: 'get',
    path: '/api/staff/stores/:storeId/dinein/tables/:tableNo',
    summary: 'The code to print on a table (the mini-program code’s scene)',
    tags: ['staff', 'dine-in'],
    auth: ['hq_admin', 'region_manager', 'store_manager'],
    params: z.object({ storeId: Ulid, tableNo: z.string().min(1).max(16) }),
    storeParam: 'storeId',
    response: DineInTableView,
    handler: async ({ params }) => {
      const store = await stores.get(params.storeId);
      return {
        storeId: store.id,
        storeName: store.name,
        tableNo: params.tableNo,
        code: codes.make(store.code, params.tableNo),
      };
    },
  });
}
