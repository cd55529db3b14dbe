import { z } from 'zod';
import { Fen, Ulid } from './common';
import { Channel, Platform } from './enums';

/**
 * The catalog API: the master menu (categories → products → SKUs, add-ons), prices (channel
 * overrides, store adjustments), store menus, channel mapping, publish/sync, audit, import, and
 * the member-facing menu. Money is fen everywhere.
 */

/** 商品编码 and other codes: what platforms and exports key on. */
export const CatalogCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "." and "-" only');
const Name = z.string().trim().min(1).max(120);
const Text = z.string().max(2000);
const NonNegativeFen = Fen.refine((v) => v >= 0, 'must not be negative');
const HHMM = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM');

/** A local time window a product sells in (早餐 06:30–10:30), in the store's timezone. */
export const AvailabilityWindow = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1),
    start: HHMM,
    end: HHMM,
  })
  .strict()
  .refine((w) => w.start < w.end, 'start must be before end');
export type AvailabilityWindow = z.infer<typeof AvailabilityWindow>;

/** The range a store may move a SKU's price in: basis points of the channel price, or fen. */
export const StorePriceRange = z
  .object({ kind: z.enum(['percent', 'amount']), min: z.number().int(), max: z.number().int() })
  .strict()
  .refine((r) => r.min <= r.max, 'min must not exceed max');
export type StorePriceRange = z.infer<typeof StorePriceRange>;

export const CatalogStatus = z.enum(['active', 'archived']);

// ── categories ──────────────────────────────────────────────────────────────

export const CategoryCreate = z
  .object({
    code: CatalogCode,
    name: Name,
    sortOrder: z.number().int().default(0),
    /** Null: stores may not adjust prices in this category. */
    storePriceRange: StorePriceRange.nullable().default(null),
  })
  .strict();
export type CategoryCreate = z.infer<typeof CategoryCreate>;

export const CategoryUpdate = z
  .object({
    name: Name.optional(),
    sortOrder: z.number().int().optional(),
    storePriceRange: StorePriceRange.nullable().optional(),
  })
  .strict();
export type CategoryUpdate = z.infer<typeof CategoryUpdate>;

export const CategoryView = z.object({
  id: Ulid,
  code: z.string(),
  name: z.string(),
  sortOrder: z.number().int(),
  storePriceRange: StorePriceRange.nullable(),
  status: CatalogStatus,
});
export type CategoryView = z.infer<typeof CategoryView>;
export const CategoryListResponse = z.object({ categories: z.array(CategoryView) });

// ── products, spec groups and the SKUs they generate ────────────────────────

export const SpecOptionInput = z
  .object({
    // "/" joins option names in a SKU's spec text (大碗/微辣), so it cannot be part of one.
    name: Name.refine((n) => !n.includes('/'), 'must not contain "/"'),
    /** Appended to the product code to make the SKU code: N001 + L → N001-L. */
    codeSuffix: z
      .string()
      .trim()
      .min(1)
      .max(16)
      .regex(/^[A-Za-z0-9]+$/, 'letters and digits only'),
    priceDelta: Fen.default(0),
    costDelta: Fen.default(0),
  })
  .strict();

/** A required spec group (规格). A group without options is refused (SPEC_GROUP_EMPTY). */
export const SpecGroupInput = z.object({ name: Name, options: z.array(SpecOptionInput) }).strict();
export type SpecGroupInput = z.infer<typeof SpecGroupInput>;

/** Overrides for one generated SKU, named by its option names in group order. */
export const SkuOverride = z
  .object({
    options: z.array(Name),
    code: CatalogCode.optional(),
    basePrice: NonNegativeFen.optional(),
    cost: NonNegativeFen.optional(),
    packagingFee: NonNegativeFen.optional(),
    boxCount: z.number().int().min(0).max(99).optional(),
  })
  .strict();
export type SkuOverride = z.infer<typeof SkuOverride>;

const SkuDefaults = {
  basePrice: NonNegativeFen,
  cost: NonNegativeFen.default(0),
  /** 打包费: what the customer pays for packaging per unit of the SKU. */
  packagingFee: NonNegativeFen.default(0),
  /** 餐盒数: boxes per unit. */
  boxCount: z.number().int().min(0).max(99).default(0),
};

export const ProductSpecsSet = z
  .object({
    ...SkuDefaults,
    specGroups: z.array(SpecGroupInput).max(4).default([]),
    skus: z.array(SkuOverride).default([]),
  })
  .strict();
export type ProductSpecsSet = z.infer<typeof ProductSpecsSet>;

const ProductFields = {
  categoryId: Ulid,
  name: Name,
  description: Text.default(''),
  imageUrl: z
    .url({ protocol: /^https?$/ })
    .max(512)
    .nullable()
    .default(null),
  tags: z.array(z.string().trim().min(1).max(16)).max(10).default([]),
  unit: z.string().trim().min(1).max(8).default('份'),
  sortOrder: z.number().int().default(0),
  /** Null: sold during all business hours. */
  availability: z.array(AvailabilityWindow).max(7).nullable().default(null),
};

export const ProductCreate = z
  .object({
    code: CatalogCode,
    ...ProductFields,
    ...SkuDefaults,
    specGroups: z.array(SpecGroupInput).max(4).default([]),
    skus: z.array(SkuOverride).default([]),
    addonGroupIds: z.array(Ulid).default([]),
  })
  .strict();
export type ProductCreate = z.infer<typeof ProductCreate>;

export const ProductUpdate = z
  .object({
    categoryId: Ulid.optional(),
    name: Name.optional(),
    description: Text.optional(),
    imageUrl: z
      .url({ protocol: /^https?$/ })
      .max(512)
      .nullable()
      .optional(),
    tags: z.array(z.string().trim().min(1).max(16)).max(10).optional(),
    unit: z.string().trim().min(1).max(8).optional(),
    sortOrder: z.number().int().optional(),
    availability: z.array(AvailabilityWindow).max(7).nullable().optional(),
  })
  .strict();
export type ProductUpdate = z.infer<typeof ProductUpdate>;

export const SkuUpdate = z
  .object({
    code: CatalogCode.optional(),
    basePrice: NonNegativeFen.optional(),
    cost: NonNegativeFen.optional(),
    packagingFee: NonNegativeFen.optional(),
    boxCount: z.number().int().min(0).max(99).optional(),
    status: CatalogStatus.optional(),
  })
  .strict();
export type SkuUpdate = z.infer<typeof SkuUpdate>;

export const SkuView = z.object({
  id: Ulid,
  code: z.string(),
  specText: z.string(),
  options: z.array(z.string()),
  basePrice: Fen,
  cost: Fen,
  packagingFee: Fen,
  boxCount: z.number().int(),
  status: CatalogStatus,
});
export type SkuView = z.infer<typeof SkuView>;

export const ProductView = z.object({
  id: Ulid,
  code: z.string(),
  categoryId: Ulid,
  name: z.string(),
  description: z.string(),
  imageUrl: z.string().nullable(),
  tags: z.array(z.string()),
  unit: z.string(),
  sortOrder: z.number().int(),
  availability: z.array(AvailabilityWindow).nullable(),
  status: CatalogStatus,
  specGroups: z.array(z.object({ id: Ulid, name: z.string(), options: z.array(z.string()) })),
  skus: z.array(SkuView),
  addonGroupIds: z.array(Ulid),
});
export type ProductView = z.infer<typeof ProductView>;
export const ProductListQuery = z.object({ categoryId: Ulid.optional(), status: CatalogStatus.optional() }).strict();
export const ProductListResponse = z.object({ products: z.array(ProductView) });

// ── add-on groups (加料 / 口味) ───────────────────────────────────────────────

export const AddonOptionInput = z.object({ code: CatalogCode, name: Name, price: NonNegativeFen.default(0) }).strict();

export const AddonGroupCreate = z
  .object({
    code: CatalogCode,
    name: Name,
    minChoices: z.number().int().min(0).max(20).default(0),
    maxChoices: z.number().int().min(1).max(20).default(1),
    options: z.array(AddonOptionInput).min(1, 'an add-on group needs at least one option'),
  })
  .strict()
  .refine((g) => g.minChoices <= g.maxChoices, 'minChoices must not exceed maxChoices')
  .refine((g) => g.minChoices <= g.options.length, 'minChoices exceeds the number of options');
export type AddonGroupCreate = z.infer<typeof AddonGroupCreate>;

export const AddonGroupUpdate = z
  .object({
    name: Name.optional(),
    minChoices: z.number().int().min(0).max(20).optional(),
    maxChoices: z.number().int().min(1).max(20).optional(),
    /** Replaces the options: options left out are archived. */
    options: z.array(AddonOptionInput).min(1, 'an add-on group needs at least one option').optional(),
  })
  .strict();
export type AddonGroupUpdate = z.infer<typeof AddonGroupUpdate>;

export const AddonGroupView = z.object({
  id: Ulid,
  code: z.string(),
  name: z.string(),
  minChoices: z.number().int(),
  maxChoices: z.number().int(),
  status: CatalogStatus,
  options: z.array(z.object({ id: Ulid, code: z.string(), name: z.string(), price: Fen, status: CatalogStatus })),
});
export type AddonGroupView = z.infer<typeof AddonGroupView>;
export const AddonGroupListResponse = z.object({ addonGroups: z.array(AddonGroupView) });
export const ProductAddonGroupsSet = z.object({ groupIds: z.array(Ulid).max(10) }).strict();

// ── prices ──────────────────────────────────────────────────────────────────

export const ChannelPriceTarget = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('menu') }).strict(),
  z.object({ scope: z.literal('category'), categoryId: Ulid }).strict(),
  z.object({ scope: z.literal('sku'), skuId: Ulid }).strict(),
]);
export type ChannelPriceTarget = z.infer<typeof ChannelPriceTarget>;

/** HQ's override for a channel: percent in basis points (+1000 = +10%), amount in fen, or a fixed price. */
export const ChannelPriceRuleSet = z
  .object({
    channel: Channel,
    target: ChannelPriceTarget,
    kind: z.enum(['percent', 'amount', 'fixed']),
    value: z.number().int().min(-1e9).max(1e9),
  })
  .strict()
  .refine((r) => r.kind !== 'percent' || r.value > -10000, 'a percent override must stay above −100%')
  .refine((r) => r.kind !== 'fixed' || r.value >= 0, 'a fixed price must not be negative');
export type ChannelPriceRuleSet = z.infer<typeof ChannelPriceRuleSet>;

export const ChannelPriceRuleView = z.object({
  id: Ulid,
  channel: Channel,
  target: ChannelPriceTarget,
  kind: z.enum(['percent', 'amount', 'fixed']),
  value: z.number().int(),
});
export type ChannelPriceRuleView = z.infer<typeof ChannelPriceRuleView>;
export const ChannelPriceRuleListResponse = z.object({ rules: z.array(ChannelPriceRuleView) });

export const StorePriceAdjustmentSet = z
  .object({ kind: z.enum(['percent', 'amount']), value: z.number().int().min(-1e9).max(1e9) })
  .strict();
export type StorePriceAdjustmentSet = z.infer<typeof StorePriceAdjustmentSet>;

export const StorePriceAdjustmentView = z.object({
  storeId: Ulid,
  skuId: Ulid,
  skuCode: z.string(),
  kind: z.enum(['percent', 'amount']),
  value: z.number().int(),
  range: StorePriceRange.nullable(),
  /** Where the adjustment sits in its category's range. */
  position: z.enum(['inside', 'min', 'max', 'outside']),
  /** Effective price per channel after the adjustment, in fen. */
  prices: z.record(Channel, Fen),
});
export type StorePriceAdjustmentView = z.infer<typeof StorePriceAdjustmentView>;
export const StorePriceAdjustmentListResponse = z.object({ adjustments: z.array(StorePriceAdjustmentView) });

export const PriceEdgeView = StorePriceAdjustmentView.extend({
  storeCode: z.string(),
  productName: z.string(),
  categoryCode: z.string(),
});
export const PriceEdgeListResponse = z.object({ edges: z.array(PriceEdgeView) });

// ── store menus and templates ───────────────────────────────────────────────

export const StoreMenuMode = z.enum(['hq', 'store', 'mixed']);
export type StoreMenuMode = z.infer<typeof StoreMenuMode>;
export const StoreMenuSettingsSet = z.object({ mode: StoreMenuMode }).strict();
/** `listed` is HQ's (the product is on the store's menu); `hidden` is the store's, within its menu mode. */
export const StoreProductStateSet = z
  .object({ listed: z.boolean().optional(), hidden: z.boolean().optional() })
  .strict()
  .refine((b) => b.listed !== undefined || b.hidden !== undefined, 'give listed or hidden');

export const StoreMenuItemView = z.object({
  productId: Ulid,
  code: z.string(),
  name: z.string(),
  categoryId: Ulid,
  listed: z.boolean(),
  hidden: z.boolean(),
  required: z.boolean(),
  /** Whether the store itself may hide or show this product under its menu mode. */
  storeMayHide: z.boolean(),
});
export const StoreMenuView = z.object({
  storeId: Ulid,
  mode: StoreMenuMode,
  templateId: Ulid.nullable(),
  products: z.array(StoreMenuItemView),
});
export type StoreMenuView = z.infer<typeof StoreMenuView>;

export const MenuTemplateSet = z
  .object({
    code: CatalogCode,
    name: Name,
    products: z.array(z.object({ productId: Ulid, required: z.boolean().default(false) }).strict()).min(1),
  })
  .strict();
export type MenuTemplateSet = z.infer<typeof MenuTemplateSet>;
export const MenuTemplateView = z.object({
  id: Ulid,
  code: z.string(),
  name: z.string(),
  products: z.array(z.object({ productId: Ulid, required: z.boolean() })),
});
export type MenuTemplateView = z.infer<typeof MenuTemplateView>;
export const MenuTemplateListResponse = z.object({ templates: z.array(MenuTemplateView) });
/** No region and no stores: every store of the brand. */
export const MenuTemplatePush = z
  .object({ regionId: Ulid.optional(), storeIds: z.array(Ulid).min(1).optional() })
  .strict()
  .refine((p) => !(p.regionId && p.storeIds), 'give a region or stores, not both');
export const MenuTemplatePushResponse = z.object({ templateId: Ulid, storeIds: z.array(Ulid) });

// ── channel mapping and bindings ────────────────────────────────────────────

export const ChannelMappingSet = z
  .object({
    storeId: Ulid,
    platform: Platform,
    skuCode: CatalogCode,
    platformItemId: z.string().trim().min(1).max(64),
    platformSkuId: z.string().trim().min(1).max(64),
  })
  .strict();
export type ChannelMappingSet = z.infer<typeof ChannelMappingSet>;
export const ChannelMappingView = z.object({
  storeId: Ulid,
  platform: Platform,
  skuCode: z.string(),
  platformItemId: z.string(),
  platformSkuId: z.string(),
});
export const ChannelMappingQuery = z.object({ storeId: Ulid, platform: Platform.optional() }).strict();
export const ChannelMappingListResponse = z.object({ mappings: z.array(ChannelMappingView) });

export const MappingProblem = z.object({
  storeId: Ulid,
  storeCode: z.string(),
  platform: Platform,
  kind: z.enum(['unmapped', 'conflict', 'stale']),
  /** Our SKU codes concerned (two or more for a conflict). */
  skuCodes: z.array(z.string()),
  platformSkuId: z.string().nullable(),
  message: z.string(),
});
export type MappingProblem = z.infer<typeof MappingProblem>;
export const MappingProblemListResponse = z.object({ problems: z.array(MappingProblem) });

export const StoreBindingView = z.object({
  storeId: Ulid,
  platform: Platform,
  status: z.enum(['bound', 'unbound', 'never']),
  platformStoreId: z.string().nullable(),
  platformStoreName: z.string().nullable(),
  boundAt: z.number().int().nullable(),
});
export type StoreBindingView = z.infer<typeof StoreBindingView>;
export const StoreBindingListResponse = z.object({ bindings: z.array(StoreBindingView) });
export const StoremapUrlResponse = z.object({ url: z.string() });

// ── publish and sync ────────────────────────────────────────────────────────

/** Empty: the whole brand. */
export const PublishRequest = z
  .object({ regionId: Ulid.optional(), storeId: Ulid.optional() })
  .strict()
  .refine((p) => !(p.regionId && p.storeId), 'give a region or a store, not both');
export type PublishRequest = z.infer<typeof PublishRequest>;

export const PublishTarget = z.object({
  storeId: Ulid,
  storeCode: z.string(),
  platform: Platform,
  state: z.enum(['queued', 'in_step', 'not_bound']),
  calls: z.number().int(),
  changes: z.object({
    categories: z.number().int(),
    dishes: z.number().int(),
    prices: z.number().int(),
    deletions: z.number().int(),
  }),
});
export const PublishResponse = z.object({
  publishId: Ulid,
  storeCount: z.number().int(),
  callsQueued: z.number().int(),
  targets: z.array(PublishTarget),
});
export type PublishResponse = z.infer<typeof PublishResponse>;

export const SyncItemState = z.enum(['in_step', 'pending', 'failed']);
export const SyncStatusQuery = z
  .object({ storeId: Ulid.optional(), platform: Platform.optional(), state: SyncItemState.optional() })
  .strict();
export const SyncStatusItem = z.object({
  key: z.string(),
  kind: z.enum(['category', 'dish']),
  name: z.string(),
  state: SyncItemState,
  /** What is waiting: an upload, a price update or a deletion. */
  waiting: z.enum(['upload', 'price', 'delete']).nullable(),
  error: z.string().nullable(),
  acceptedAt: z.number().int().nullable(),
  updatedAt: z.number().int(),
});
export const SyncStatusTarget = z.object({
  storeId: Ulid,
  storeCode: z.string(),
  platform: Platform,
  binding: z.enum(['bound', 'not_bound']),
  counts: z.object({ in_step: z.number().int(), pending: z.number().int(), failed: z.number().int() }),
  items: z.array(SyncStatusItem),
});
export const SyncStatusResponse = z.object({ targets: z.array(SyncStatusTarget) });
export type SyncStatusResponse = z.infer<typeof SyncStatusResponse>;

// ── audit ───────────────────────────────────────────────────────────────────

export const AuditFindingKind = z.enum([
  'name_mismatch',
  'missing_on_platform',
  'extra_on_platform',
  'missing_spec',
  'missing_addon',
  'drift',
  'price_out_of_range',
  'unmapped',
  'mapping_conflict',
  'stale_mapping',
  'not_published',
  'platform_unreachable',
]);
export const AuditFinding = z.object({
  kind: AuditFindingKind,
  storeId: Ulid,
  storeCode: z.string(),
  platform: Platform.nullable(),
  /** Our product or SKU code, or the platform's own id when we have no code for it. */
  code: z.string().nullable(),
  message: z.string(),
  expected: z.unknown().optional(),
  actual: z.unknown().optional(),
});
export type AuditFinding = z.infer<typeof AuditFinding>;
export const AuditQuery = z.object({ storeId: Ulid.optional(), platform: Platform.optional() }).strict();
export const AuditResponse = z.object({
  checkedAt: z.number().int(),
  stores: z.number().int(),
  findings: z.array(AuditFinding),
});
export type AuditResponse = z.infer<typeof AuditResponse>;

// ── import ──────────────────────────────────────────────────────────────────

/** One SKU of the JSON import format (`heyi-catalog/1`); prices in yuan as in aggregator exports. */
const ImportYuan = z.union([z.number(), z.string()]);
export const CatalogImportJson = z
  .object({
    format: z.literal('heyi-catalog/1'),
    categories: z.array(
      z
        .object({
          code: z.string(),
          name: z.string(),
          products: z.array(
            z
              .object({
                code: z.string(),
                name: z.string(),
                description: z.string().optional(),
                unit: z.string().optional(),
                tags: z.array(z.string()).optional(),
                /** Store codes listing this product, or "*" for every store; absent: listings unchanged. */
                stores: z.union([z.literal('*'), z.array(z.string())]).optional(),
                skus: z.array(
                  z
                    .object({
                      code: z.string(),
                      /** Spec group → option, in group order; empty for a single-spec product. */
                      spec: z.record(z.string(), z.string()).optional(),
                      price: ImportYuan,
                      cost: ImportYuan.optional(),
                      packagingFee: ImportYuan.optional(),
                      boxCount: z.number().optional(),
                    })
                    .strict(),
                ),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();
export type CatalogImportJson = z.infer<typeof CatalogImportJson>;

export const ImportRowError = z.object({ row: z.number().int(), column: z.string(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;

const ImportCounts = z.object({
  categories: z.number().int(),
  products: z.number().int(),
  skus: z.number().int(),
});
export const ImportResult = z.object({
  importId: Ulid,
  /** True when this exact file was imported before: nothing was applied again. */
  replayed: z.boolean(),
  rows: z.number().int(),
  created: ImportCounts,
  updated: ImportCounts,
  archivedSkus: z.number().int(),
  listings: z.number().int(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** `POST /api/admin/media`: where the uploaded image is served (set it as a product's imageUrl). */
export const MediaUploadResponse = z.object({ id: z.string(), url: z.string() });
export type MediaUploadResponse = z.infer<typeof MediaUploadResponse>;

// ── member-facing menu ──────────────────────────────────────────────────────

export const MemberMenuChannel = z.enum(['miniapp', 'dinein']);
export const MemberMenuQuery = z.object({ channel: MemberMenuChannel.default('miniapp') }).strict();

export const MemberMenuSku = z.object({
  code: z.string(),
  specText: z.string(),
  options: z.array(z.string()),
  /** Effective price for this store and channel, in fen. */
  price: Fen,
  packagingFee: Fen,
  soldOut: z.boolean(),
});
export const MemberMenuAddonGroup = z.object({
  code: z.string(),
  name: z.string(),
  minChoices: z.number().int(),
  maxChoices: z.number().int(),
  options: z.array(z.object({ code: z.string(), name: z.string(), price: Fen })),
});
export const MemberMenuProduct = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  imageUrl: z.string().nullable(),
  tags: z.array(z.string()),
  unit: z.string(),
  /** False outside the product's availability window (in the store's timezone). */
  available: z.boolean(),
  availability: z.array(AvailabilityWindow).nullable(),
  specGroups: z.array(z.object({ name: z.string(), options: z.array(z.string()) })),
  skus: z.array(MemberMenuSku),
  addonGroups: z.array(MemberMenuAddonGroup),
});
export type MemberMenuProduct = z.infer<typeof MemberMenuProduct>;
export const MemberMenuResponse = z.object({
  storeId: Ulid,
  channel: MemberMenuChannel,
  /** Changes whenever the menu does (publish, catalog change, stock change). */
  version: z.string(),
  generatedAt: z.number().int(),
  categories: z.array(z.object({ code: z.string(), name: z.string(), products: z.array(MemberMenuProduct) })),
});
export type MemberMenuResponse = z.infer<typeof MemberMenuResponse>;
