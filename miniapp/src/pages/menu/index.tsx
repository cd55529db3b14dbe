import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { MemberMenuProduct, MemberMenuResponse } from 'shared-types';
import { formatFen } from 'shared-types/money';
import { addToCart, cartCount, cartEstimate, changeQuantity, openCart } from '../../cart/cart';
import { productSoldOut } from '../../cart/rules';
import { useCart } from '../../cart/use-cart';
import ProductPicker from '../../components/ProductPicker';
import { messageOf } from '../../services/errors';
import { getMenu } from '../../services/member';
import './index.css';

type MenuState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; menu: MemberMenuResponse };

/** "¥28" for one SKU, "¥28起" when the SKUs differ in price. */
function priceFrom(product: MemberMenuProduct): string {
  const prices = product.skus.map((s) => s.price);
  if (prices.length === 0) return '';
  const low = Math.min(...prices);
  return prices.some((p) => p !== low) ? `${formatFen(low)}起` : formatFen(low);
}

/** Whether the dish can go straight into the cart (one SKU, nothing to choose). */
function needsChoice(product: MemberMenuProduct): boolean {
  return product.specGroups.length > 0 || product.addonGroups.length > 0 || product.skus.length > 1;
}

export default function MenuPage() {
  const { params } = useRouter();
  const storeId = params.storeId ?? '';
  const tableCode = params.table ? decodeURIComponent(params.table) : '';
  const tableNo = params.tableNo ? decodeURIComponent(params.tableNo) : '';
  const cart = useCart();
  const [state, setState] = useState<MenuState>({ kind: 'loading' });
  const [picking, setPicking] = useState<MemberMenuProduct | null>(null);
  const [cartOpen, setCartOpen] = useState(false);

  const load = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      const menu = await getMenu(storeId, tableCode ? 'dinein' : 'miniapp');
      setState({ kind: 'ready', menu });
    } catch (err) {
      setState({ kind: 'failed', message: messageOf(err, '菜单加载失败，请稍后再试') });
    }
  }, [storeId, tableCode]);

  useLoad(() => {
    const storeName = params.storeName ? decodeURIComponent(params.storeName) : '';
    openCart(storeId, storeName, tableCode ? { code: tableCode, tableNo } : null);
    if (storeName) void Taro.setNavigationBarTitle({ title: storeName }).catch(() => undefined);
    void load();
  });

  const count = cartCount(cart.items);

  return (
    <View className="menu">
      {cart.table ? (
        <View className="menu__table">
          <Text className="menu__table-text">堂食 · {cart.table.tableNo} 号桌</Text>
        </View>
      ) : null}
      {state.kind === 'loading' && <Text className="menu__loading">正在加载菜单…</Text>}
      {state.kind === 'failed' && (
        <View className="menu__error">
          <Text className="menu__error-message">{state.message}</Text>
          <Button className="menu__retry" size="mini" onClick={() => void load()}>
            重试
          </Button>
        </View>
      )}
      {state.kind === 'ready' &&
        state.menu.categories.map((category) => (
          <View className="menu-category" key={category.code}>
            <Text className="menu-category__name">{category.name}</Text>
            {category.products.map((product) => {
              const soldOut = productSoldOut(product);
              return (
                <View
                  className={`menu-product${soldOut || !product.available ? ' menu-product--off' : ''}`}
                  key={product.code}
                >
                  <View className="menu-product__info">
                    <Text className="menu-product__name">{product.name}</Text>
                    {product.description ? <Text className="menu-product__desc">{product.description}</Text> : null}
                    <Text className="menu-product__price">{priceFrom(product)}</Text>
                  </View>
                  {soldOut ? (
                    <Text className="menu-product__sold-out">已售罄</Text>
                  ) : !product.available ? (
                    <Text className="menu-product__unavailable">非供应时段</Text>
                  ) : needsChoice(product) ? (
                    <View className="menu-product__choose" onClick={() => setPicking(product)}>
                      选规格
                    </View>
                  ) : (
                    <View
                      className="menu-product__add"
                      onClick={() => {
                        const sku = product.skus[0];
                        if (sku) addToCart(product, sku, []);
                      }}
                    >
                      +
                    </View>
                  )}
                </View>
              );
            })}
          </View>
        ))}

      {cartOpen && count > 0 && (
        <View className="cart-panel">
          {cart.items.map((item) => (
            <View className="cart-item" key={item.key}>
              <View className="cart-item__info">
                <Text className="cart-item__name">{item.productName}</Text>
                <Text className="cart-item__detail">
                  {[item.specText, ...item.addonNames].filter(Boolean).join('，')}
                </Text>
              </View>
              <View className="cart-item__qty">
                <View className="cart-item__minus" onClick={() => changeQuantity(item.key, item.quantity - 1)}>
                  －
                </View>
                <Text className="cart-item__count">{item.quantity}</Text>
                <View className="cart-item__plus" onClick={() => changeQuantity(item.key, item.quantity + 1)}>
                  ＋
                </View>
              </View>
            </View>
          ))}
        </View>
      )}

      <View className="cart-bar">
        <View className="cart-bar__summary" onClick={() => setCartOpen(!cartOpen)}>
          <Text className="cart-bar__count">{count > 0 ? `已选 ${count} 件` : '购物车是空的'}</Text>
          {count > 0 ? <Text className="cart-bar__total">约 {formatFen(cartEstimate(cart.items))}</Text> : null}
        </View>
        <Button
          className="cart-bar__checkout"
          type="primary"
          size="mini"
          disabled={count === 0 || undefined}
          onClick={() => {
            if (count > 0) void Taro.navigateTo({ url: '/pages/checkout/index' });
          }}
        >
          去结算
        </Button>
      </View>

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
