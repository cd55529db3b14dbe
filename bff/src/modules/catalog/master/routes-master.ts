import {
  AddonGroupCreate,
  AddonGroupListResponse,
  AddonGroupUpdate,
  AddonGroupView,
  CategoryCreate,
  CategoryListResponse,
  CategoryUpdate,
  CategoryView,
  ProductAddonGroupsSet,
  ProductCreate,
  ProductListQuery,
  ProductListResponse,
  ProductSpecsSet,
  ProductUpdate,
  ProductView,
  SkuUpdate,
  Ulid,
} from 'shared-types';
import { z } from 'zod';
import type { RouteRegistry } from '../../../http/router';
import type { CatalogServices } from '../services';

export const HQ = ['hq_admin'] as const;
/** Everyone who manages a menu; clerks do not touch the catalog. */
export const MANAGERS = ['hq_admin', 'region_manager', 'store_manager'] as const;

const Id = z.object({ id: Ulid }).strict();
const tags = ['catalog'];

/** Master-menu administration: categories, products, spec groups and SKUs, add-on groups. HQ writes; managers read. */
export function masterRoutes(routes: RouteRegistry, s: CatalogServices): void {
  routes.add({
    method: 'get',
    path: '/api/admin/catalog/categories',
    summary: 'Categories of the master menu',
    tags,
    auth: MANAGERS,
    response: CategoryListResponse,
    handler: async ({ auth }) => ({ categories: await s.categories.listCategories(auth.staff.brandId) }),
  });
  routes.add({
    method: 'post',
    path: '/api/admin/catalog/categories',
    summary: 'Create a category with its sort order and the range stores may adjust prices in',
    tags,
    auth: HQ,
    body: CategoryCreate,
    response: CategoryView,
    status: 201,
    handler: async ({ auth, body }) => s.categories.createCategory(auth.staff.brandId, body),
  });
  routes.add({
    method: 'patch',
    path: '/api/admin/catalog/categories/:id',
    summary: 'Rename, reorder or change the store price range of a category',
    tags,
    auth: HQ,
    params: Id,
    body: CategoryUpdate,
    response: CategoryView,
    handler: async ({ auth, params, body }) => s.categories.updateCategory(auth.staff.brandId, params.id, body),
  });
  routes.add({
    method: 'delete',
    path: '/api/admin/catalog/categories/:id',
    summary: 'Archive a category (its dishes leave every menu at the next publish)',
    tags,
    auth: HQ,
    params: Id,
    response: CategoryView,
    handler: async ({ auth, params }) => s.categories.archiveCategory(auth.staff.brandId, params.id),
  });

  routes.add({
    method: 'get',
    path: '/api/admin/catalog/products',
    summary: 'Products (SPU) with their spec groups, SKUs and add-on groups',
    tags,
    auth: MANAGERS,
    query: ProductListQuery,
    response: ProductListResponse,
    handler: async ({ auth, query }) => ({ products: await s.products.listProducts(auth.staff.brandId, query) }),
  });
  routes.add({
    method: 'get',
    path: '/api/admin/catalog/products/:id',
    summary: 'One product',
    tags,
    auth: MANAGERS,
    params: Id,
    response: ProductView,
    handler: async ({ auth, params }) => s.products.product(auth.staff.brandId, params.id),
  });
  routes.add({
    method: 'post',
    path: '/api/admin/catalog/products',
    summary: 'Create a product; its required spec groups generate the SKUs (each with its own code)',
    tags,
    auth: HQ,
    body: ProductCreate,
    response: ProductView,
    status: 201,
    handler: async ({ auth, body }) => s.products.createProduct(auth.staff.brandId, body),
  });
  routes.add({
    method: 'patch',
    path: '/api/admin/catalog/products/:id',
    summary: 'Change a product’s name, description, image, tags, unit, category or availability windows',
    tags,
    auth: HQ,
    params: Id,
    body: ProductUpdate,
    response: ProductView,
    handler: async ({ auth, params, body }) => s.products.updateProduct(auth.staff.brandId, params.id, body),
  });
  routes.add({
    method: 'delete',
    path: '/api/admin/catalog/products/:id',
    summary: 'Archive a product',
    tags,
    auth: HQ,
    params: Id,
    response: ProductView,
    handler: async ({ auth, params }) => s.products.archiveProduct(auth.staff.brandId, params.id),
  });
  routes.add({
    method: 'put',
    path: '/api/admin/catalog/products/:id/specs',
    summary: 'Replace the spec groups and regenerate the SKUs (SKUs no longer generated are archived)',
    tags,
    auth: HQ,
    params: Id,
    body: ProductSpecsSet,
    response: ProductView,
    handler: async ({ auth, params, body }) => s.products.setSpecs(auth.staff.brandId, params.id, body),
  });
  routes.add({
    method: 'put',
    path: '/api/admin/catalog/products/:id/addon-groups',
    summary: 'Which add-on groups a product offers, in order',
    tags,
    auth: HQ,
    params: Id,
    body: ProductAddonGroupsSet,
    response: ProductView,
    handler: async ({ auth, params, body }) => {
      await s.addons.setProductGroups(auth.staff.brandId, params.id, body.groupIds);
      return s.products.product(auth.staff.brandId, params.id);
    },
  });
  routes.add({
    method: 'patch',
    path: '/api/admin/catalog/skus/:id',
    summary: 'Change one SKU: code, base price, cost, packaging fee, box count or status',
    tags,
    auth: HQ,
    params: Id,
    body: SkuUpdate,
    response: ProductView,
    handler: async ({ auth, params, body }) => s.products.updateSku(auth.staff.brandId, params.id, body),
  });

  routes.add({
    method: 'get',
    path: '/api/admin/catalog/addon-groups',
    summary: 'Add-on groups (加料 / 口味) with their options',
    tags,
    auth: MANAGERS,
    response: AddonGroupListResponse,
    handler: async ({ auth }) => ({ addonGroups: await s.addons.list(auth.staff.brandId) }),
  });
  routes.add({
    method: 'post',
    path: '/api/admin/catalog/addon-groups',
    summary: 'Create an add-on group with min/max choices and priced options',
    tags,
    auth: HQ,
    body: AddonGroupCreate,
    response: AddonGroupView,
    status: 201,
    handler: async ({ auth, body }) => s.addons.create(auth.staff.brandId, body),
  });
  routes.add({
    method: 'patch',
    path: '/api/admin/catalog/addon-groups/:id',
    summary: 'Change an add-on group; given options replace the current ones',
    tags,
    auth: HQ,
    params: Id,
    body: AddonGroupUpdate,
    response: AddonGroupView,
    handler: async ({ auth, params, body }) => s.addons.update(auth.staff.brandId, params.id, body),
  });
}
