/**
 * What the catalog needs from stock: which SKUs a store has sold out, so the member menu shows
 * them and dish uploads carry zero stock. The stock service implements it; the container hands
 * it over (the catalog does not depend on the stock module).
 */
export interface SoldOutSource {
  soldOutSkuCodes(storeId: string): Promise<Set<string>>;
}
