import type { MemberMenuProduct } from 'shared-types';

/**
 * The rules a dish choice must follow before it may go into the cart: one SKU (one option of each
 * spec group) that is not sold out, and for each add-on group between its min and max options.
 * The BFF checks the same rules again when it prices the cart.
 */

type Sku = MemberMenuProduct['skus'][number];
type AddonGroup = MemberMenuProduct['addonGroups'][number];

/** The SKU whose options are exactly the chosen spec options (one per spec group), if any. */
export function skuFor(product: MemberMenuProduct, specChoice: readonly (string | undefined)[]): Sku | undefined {
  if (product.specGroups.length === 0) return product.skus[0];
  if (specChoice.length !== product.specGroups.length || specChoice.some((o) => o === undefined)) return undefined;
  return product.skus.find(
    (sku) => sku.options.length === specChoice.length && sku.options.every((option, i) => option === specChoice[i]),
  );
}

/** The first spec choice that leads to a SKU still on sale, so a picker opens on something addable. */
export function defaultSpecChoice(product: MemberMenuProduct): string[] {
  const sku = product.skus.find((s) => !s.soldOut) ?? product.skus[0];
  return sku ? [...sku.options] : [];
}

/** Whether the whole product is unorderable: outside its hours, or every SKU sold out. */
export function productSoldOut(product: MemberMenuProduct): boolean {
  return product.skus.length === 0 || product.skus.every((s) => s.soldOut);
}

/**
 * Taps an add-on option. A group with max 1 behaves like a radio (the tap replaces the choice);
 * otherwise the tap toggles the option, refused (unchanged) when the group is already at its max.
 */
export function toggleAddon(group: AddonGroup, chosen: readonly string[], optionCode: string): string[] {
  const inGroup = new Set(group.options.map((o) => o.code));
  const mine = chosen.filter((code) => inGroup.has(code));
  const others = chosen.filter((code) => !inGroup.has(code));
  if (mine.includes(optionCode)) return [...others, ...mine.filter((code) => code !== optionCode)];
  if (group.maxChoices === 1) return [...others, optionCode];
  if (mine.length >= group.maxChoices) return [...chosen];
  return [...others, ...mine, optionCode];
}

/** Why the choice cannot be added yet (in Chinese), or null when it can. */
export function choiceProblem(
  product: MemberMenuProduct,
  specChoice: readonly (string | undefined)[],
  addons: readonly string[],
): string | null {
  if (!product.available) return '该商品当前时段不可售';
  const sku = skuFor(product, specChoice);
  if (!sku) return '请选择规格';
  if (sku.soldOut) return '该规格已售罄';
  for (const group of product.addonGroups) {
    const count = group.options.filter((o) => addons.includes(o.code)).length;
    if (count < group.minChoices) {
      return group.minChoices === group.maxChoices
        ? `请选择${group.name}（选${group.minChoices}项）`
        : `请选择${group.name}（至少${group.minChoices}项）`;
    }
    if (count > group.maxChoices) return `${group.name}最多选${group.maxChoices}项`;
  }
  return null;
}

/** The hint under a group's name: 必选1项 / 可选0-3项. */
export function groupHint(group: AddonGroup): string {
  if (group.minChoices > 0 && group.minChoices === group.maxChoices) return `必选${group.minChoices}项`;
  if (group.minChoices > 0) return `必选${group.minChoices}-${group.maxChoices}项`;
  return `可选，最多${group.maxChoices}项`;
}

/** Price of one unit with its add-ons, in fen. */
export function unitPriceWithAddons(product: MemberMenuProduct, sku: Sku, addons: readonly string[]): number {
  const addonPrice = product.addonGroups
    .flatMap((g) => g.options)
    .filter((o) => addons.includes(o.code))
    .reduce((sum, o) => sum + o.price, 0);
  return sku.price + addonPrice;
}
