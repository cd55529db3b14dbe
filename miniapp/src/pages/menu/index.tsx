import { Button, ScrollView, Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MemberMenuProduct, MemberMenuResponse, StoreView } from 'shared-types';
import { formatFen } from 'shared-types/money';
import { addToCart, changeQuantity, openCart } from '../../cart/cart';
import { productSoldOut } from '../../cart/rules';
import { useCart } from '../../cart/use-cart';
import CartBar from '../../components/CartBar';
import DishImage from '../../components/DishImage';
import ProductPicker from '../../components/ProductPicker';
import StoreHeader from '../../components/StoreHeader';
import { messageOf } from '../../services/errors';
import { getMenu } from '../../services/member';
import { storeDirectory } from '../../services/stores';
import { orderingState } from '../../utils/ordering';
import './index.css';

type MenuState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; menu: MemberMenuResponse };

/** "¥28.00" for one SKU, "¥28.00起" when the SKUs differ in price. */
function priceFrom(product: MemberMenuProduct): string {
  const prices = product.skus.map((s) => s.price);
  if (prices.length === 0) return '';
  const low = Math.min(...prices);
  return prices.some((p) => p !== low) ? `${formatFen(low)}起` : formatFen(low);
}

/** Whether the dish needs the picker (specs or add-ons) rather than going straight into the cart. */
function needsChoice(product: MemberMenuProduct): boolean {
  return product.specGroups.length > 0 || product.addonGroups.length > 0 || product.skus.length > 1;
}

const sectionId = (code: string) => `menu-cat-${code.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/**
 * 点餐: the store up front (open or 休息中 with its next opening), categories on the left that
 * follow the dishes' scroll, dishes with photos on the right, and the cart bar at the bottom.
 */
export default function MenuPage() {
  const { params } = useRouter();
  const storeId = params.storeId ?? '';
  const tableCode = params.table ? decodeURIComponent(params.table) : '';
  const tableNo = params.tableNo ? decodeURIComponent(params.tableNo) : '';
  const cart = useCart();
  const [state, setState] = useState<MenuState>({ kind: 'loading' });
  const [store, setStore] = useState<StoreView | null>(null);
  const [picking, setPicking] = useState<MemberMenuProduct | null>(null);
  const [active, setActive] = useState('');
  const [scrollTarget, setScrollTarget] = useState('');
  // Where each category starts in the dish list, measured once the list is drawn.
  const tops = useRef<{ code: string; top: number }[]>([]);
  // While the list scrolls to a tapped category, the scroll must not pick another one.
  const tappedUntil = useRef(0);

  const load = useCallback(async () => {
    setState({ kind: 'loading' });
    storeDirectory(true).then(
      (dir) => setStore(dir.get(storeId) ?? null),
      // Without the store list the menu still works; the header shows the name it was opened with.
      () => undefined,
    );
    try {
      const menu = await getMenu(storeId, tableCode ? 'dinein' : 'miniapp');
      setState({ kind: 'ready', menu });
      setActive(menu.categories[0]?.code ?? '');
    } catch (err) {
      setState({ kind: 'failed', message: messageOf(err, '菜单加载失败，请稍后再试') });
    }
  }, [storeId, tableCode]);

  useLoad(() => {
    const storeName = params.storeName ? decodeURIComponent(params.storeName) : '';
    openCart(storeId, storeName, tableCode ? { code: tableCode, tableNo } : null);
    void load();
  });

  const categories = state.kind === 'ready' ? state.menu.categories : [];
  const measuring = useRef(false);
  // Measured on the first scroll, when the page is surely the one on screen (a query from a page
  // being left finds no page container on H5); a new menu is measured again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new category list is the trigger
  useEffect(() => {
    tops.current = [];
  }, [categories]);
  const measure = (scrollTop: number) => {
    if (measuring.current || typeof Taro.createSelectorQuery !== 'function') return;
    measuring.current = true;
    try {
      Taro.createSelectorQuery()
        .select('.menu-list')
        .boundingClientRect()
        .selectAll('.menu-section')
        .boundingClientRect()
        .exec((res: unknown[]) => {
          measuring.current = false;
          const list = res[0] as { top: number } | null;
          const sections = (res[1] as { top: number }[] | null) ?? [];
          if (!list) return;
          tops.current = sections.map((s, i) => ({
            code: categories[i]?.code ?? '',
            top: s.top - list.top + scrollTop,
          }));
        });
    } catch {
      // No layout to measure (a test renderer): the sidebar then follows taps only.
      measuring.current = false;
    }
  };

  const onScroll = (e: { detail: { scrollTop: number } }) => {
    if (tops.current.length === 0) {
      // Where each section starts in the whole list: on screen now, plus what is scrolled away.
      measure(e.detail.scrollTop);
      return;
    }
    if (Date.now() < tappedUntil.current) return;
    const y = e.detail.scrollTop + 8;
    let current = tops.current[0]?.code ?? '';
    for (const t of tops.current) if (t.top <= y) current = t.code;
    if (current && current !== active) setActive(current);
  };

  const storeName = store?.name ?? cart.storeName;
  const ordering = orderingState(store, Boolean(cart.table));
  const quantityOf = (product: MemberMenuProduct) =>
    cart.items.filter((i) => product.skus.some((s) => s.code === i.skuCode)).reduce((n, i) => n + i.quantity, 0);

  return (
    <View className="menu">
      <StoreHeader store={store} name={storeName} table={cart.table} ordering={ordering} />
      {state.kind === 'loading' && <Text className="menu__loading">正在加载菜单…</Text>}
      {state.kind === 'failed' && (
        <View className="menu__error">
          <Text className="menu__error-message">{state.message}</Text>
          <Button className="menu__retry" size="mini" onClick={() => void load()}>
            重试
          </Button>
        </View>
      )}
      {state.kind === 'ready' && categories.length === 0 && <Text className="menu__loading">门店暂未上架商品</Text>}
      {state.kind === 'ready' && categories.length > 0 && (
        <View className="menu-body">
          <ScrollView className="menu-nav" scrollY>
            {categories.map((category) => {
              const count = cart.items
                .filter((i) => category.products.some((p) => p.skus.some((s) => s.code === i.skuCode)))
                .reduce((n, i) => n + i.quantity, 0);
              return (
                <View
                  key={category.code}
                  className={`menu-nav__item${active === category.code ? ' menu-nav__item--active' : ''}`}
                  data-category={category.code}
                  onClick={() => {
                    tappedUntil.current = Date.now() + 800;
                    setActive(category.code);
                    setScrollTarget(sectionId(category.code));
                  }}
                >
                  <Text className="menu-nav__name">{category.name}</Text>
                  {count > 0 ? <Text className="menu-nav__count">{count}</Text> : null}
                </View>
              );
            })}
          </ScrollView>
          <ScrollView
            className="menu-list"
            scrollY
            scrollIntoView={scrollTarget}
            scrollWithAnimation
            onScroll={onScroll}
          >
            {categories.map((category, i) => (
              <View
                className={`menu-section${i === categories.length - 1 ? ' menu-section--last' : ''}`}
                id={sectionId(category.code)}
                key={category.code}
              >
                <Text className="menu-category__name">{category.name}</Text>
                {category.products.map((product) => {
                  const soldOut = productSoldOut(product);
                  const off = soldOut || !product.available;
                  const inCart = quantityOf(product);
                  const single = product.skus[0];
                  return (
                    <View className={`menu-product${off ? ' menu-product--off' : ''}`} key={product.code}>
                      <DishImage name={product.name} url={product.imageUrl} />
                      <View className="menu-product__info">
                        <Text className="menu-product__name">{product.name}</Text>
                        {product.description ? <Text className="menu-product__desc">{product.description}</Text> : null}
                        <View className="menu-product__foot">
                          <Text className="menu-product__price">{priceFrom(product)}</Text>
                          {soldOut ? (
                            <Text className="menu-product__sold-out">已售罄</Text>
                          ) : !product.available ? (
                            <Text className="menu-product__unavailable">非供应时段</Text>
                          ) : !ordering.canAdd ? null : needsChoice(product) ? (
                            <View className="menu-product__choose" onClick={() => setPicking(product)}>
                              选规格
                              {inCart > 0 ? <Text className="menu-product__badge">{inCart}</Text> : null}
                            </View>
                          ) : (
                            <View className="menu-product__stepper">
                              {inCart > 0 && single ? (
                                <>
                                  <View
                                    className="menu-product__minus"
                                    onClick={() => changeQuantity(single.code, inCart - 1)}
                                  >
                                    －
                                  </View>
                                  <Text className="menu-product__qty">{inCart}</Text>
                                </>
                              ) : null}
                              <View
                                className="menu-product__add"
                                onClick={() => {
                                  if (single) addToCart(product, single, []);
                                }}
                              >
                                ＋
                              </View>
                            </View>
                          )}
                        </View>
                      </View>
                    </View>
                  );
                })}
              </View>
            ))}
            <View className="menu-list__end">
              <Text>— 已经到底了 —</Text>
            </View>
          </ScrollView>
        </View>
      )}

      <CartBar ordering={ordering} />

      {picking && (
        <ProductPicker
          product={picking}
          onClose={() => setPicking(null)}
          onAdd={(sku, addons) => {
            addToCart(picking, sku, addons);
            setPicking(null);
            void Taro.showToast({ title: '已加入购物车', icon: 'none' }).catch(() => undefined);
          }}
        />
      )}
    </View>
  );
}
