import type { RouteRegistry } from '../../http/router';
import { masterRoutes } from './master/routes-master';
import { menuRoutes } from './master/routes-menus';
import { memberAndWebhookRoutes } from './pricing/routes-member';
import { priceRoutes } from './pricing/routes-prices';
import type { CatalogServices } from './services';
import { syncRoutes } from './sync/routes-sync';

/** Every catalog route: `/api/admin/catalog/*`, the member menu and Meituan's binding callbacks. */
export function catalogRoutes(routes: RouteRegistry, services: CatalogServices, bodyLimitBytes: number): void {
  masterRoutes(routes, services);
  priceRoutes(routes, services);
  menuRoutes(routes, services);
  syncRoutes(routes, services, bodyLimitBytes);
  memberAndWebhookRoutes(routes, services, bodyLimitBytes);
}
