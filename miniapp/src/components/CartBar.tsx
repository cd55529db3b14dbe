import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatFen } from 'shared-types/money';
import { cartCount, cartEstimate, changeQuantity, clearCart } from '../cart/cart';
import { useCart } from '../cart/use-cart';
import type { OrderingState } from '../utils/ordering';
import './CartBar.css';
import './Sheet.css';

interface CartBarProps {
  ordering: OrderingState;
}

/**
 * The bar at the bottom of the menu: how many dishes, their total, and the way to checkout; a
 * tap on the bag opens the cart (已选商品) with each line's price, quantity steppers and 清空.
 */
export default function CartBar({ ordering }: CartBarProps) {
  const cart = useCart();
  const [open, setOpen] = useState(false);
  const count = cartCount(cart.items);
  const total = cartEstimate(cart.items);
  const canGo = count > 0 && ordering.canCheckout;

  const clear = async () => {
    try {
      const { confirm } = await Taro.showModal({
        title: '清空购物车？',
        content: '',
        confirmText: '清空',
        cancelText: '取消',
      });
      if (!confirm) return;
    } catch {
      return;
    }
    clearCart();
    setOpen(false);
  };

  return (
    <>
      {open && count > 0 && (
        <View className="sheet cart-sheet">
          <View className="sheet__mask" onClick={() => setOpen(false)} />
          <View className="sheet__panel cart-sheet__panel">
            <View className="sheet__head">
              <Text className="sheet__title cart-sheet__title">已选商品</Text>
              <Text className="sheet__action cart-sheet__clear" onClick={() => void clear()}>
                清空
              </Text>
            </View>
            <View className="cart-sheet__items">
              {cart.items.map((item) => (
                <View className="cart-item" key={item.key}>
                  <View className="cart-item__info">
                    <Text className="cart-item__name">{item.productName}</Text>
                    {item.specText || item.addonNames.length ? (
                      <Text className="cart-item__detail">
                        {[item.specText, ...item.addonNames].filter(Boolean).join('，')}
                      </Text>
                    ) : null}
                  </View>
                  <Text className="cart-item__price">{formatFen(item.unitPrice * item.quantity)}</Text>
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
          </View>
        </View>
      )}

      <View className="cart-bar">
        <View className="cart-bar__summary" onClick={() => count > 0 && setOpen(!open)}>
          <View className={`cart-bar__bag${count > 0 ? ' cart-bar__bag--full' : ''}`}>
            <View className="cart-bar__bag-icon" />
            {count > 0 ? <Text className="cart-bar__count">{count}</Text> : null}
          </View>
          {count > 0 ? (
            <View className="cart-bar__amounts">
              <Text className="cart-bar__total">{formatFen(total)}</Text>
              <Text className="cart-bar__note">另需打包费，以结算页为准</Text>
            </View>
          ) : (
            <Text className="cart-bar__empty">
              {ordering.kind === 'closed' ? '门店休息中，暂不接单' : '未选购商品'}
            </Text>
          )}
        </View>
        {/* A View, not a Button: a disabled Button in Taro H5 still fires onClick. */}
        <View
          className={`cart-bar__checkout${canGo ? '' : ' cart-bar__checkout--disabled'}`}
          aria-disabled={!canGo}
          onClick={() => {
            if (canGo) void Taro.navigateTo({ url: '/pages/checkout/index' });
          }}
        >
          {ordering.canCheckout ? ordering.action : '休息中'}
        </View>
      </View>
    </>
  );
}
