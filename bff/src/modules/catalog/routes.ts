import type { RouteRegistry } from '../../http/router';
import { masterRoutes } from './routes-master';
import { memberAndWebhookRoutes } from './routes-member';
import { menuRoutes } from './routes-menus';
import { priceRoutes } from './routes-prices';
import { syncRoutes } from './routes-sync';
import type { CatalogServices } from './services';

/** Every catalog route: `/api/admin/catalog/*`, the member menu and Meituan's binding callbacks. */
export function catalogRoutes(routes: RouteRegistry, services: CatalogServices, bodyLimitBytes: number): void {
  masterRoutes(routes, services);
  priceRoutes(routes, services);
  menuRoutes(routes, services);
  syncRoutes(routes, services, bodyLimitBytes);
  memberAndWebhookRoutes(routes, services, bodyLimitBytes);
}
