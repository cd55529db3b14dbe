import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { Fulfillment, QuoteResponse } from 'shared-types';
import { formatFen } from 'shared-types/money';
import { changeQuantity, clearCart } from '../../cart/cart';
import { useCart } from '../../cart/use-cart';
import { type CheckoutForm, checkoutRequest, emptyForm, formProblem, PlaceAttempt } from '../../checkout/checkout';
import { isTransient, messageOf } from '../../services/errors';
import { placeOrder, quote } from '../../services/member';
import { useStoreDirectory, zoneOf } from '../../services/stores';
import { payWithWechat } from '../../services/wechat';
import { FULFILLMENT_LABEL } from '../../utils/labels';
import { storeTime } from '../../utils/time';
import './index.css';

type QuoteState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; quote: QuoteResponse };

/** How long the page waits after the last change before asking for a new quote. */
const QUOTE_DEBOUNCE_MS = 300;

type InputEvent = { detail: { value: string } };

export default function CheckoutPage() {
  const cart = useCart();
  const [form, setForm] = useState<CheckoutForm>(() => emptyForm(cart.table ? 'dine_in' : 'pickup'));
  const [quoteState, setQuoteState] = useState<QuoteState>({ kind: 'idle' });
  const [placing, setPlacing] = useState(false);
  const [placeError, setPlaceError] = useState('');
  const stores = useStoreDirectory();
  const attempt = useRef(new PlaceAttempt());

  const problem = formProblem(cart, form);
  const request = problem === null ? checkoutRequest(cart, form) : null;
  const requestJson = request ? JSON.stringify(request) : '';

  // Every change of cart or form asks for a fresh quote (the last answer wins).
  useEffect(() => {
    if (!requestJson) {
      setQuoteState({ kind: 'idle' });
      return;
    }
    let current = true;
    setQuoteState({ kind: 'loading' });
    const timer = setTimeout(() => {
      quote(JSON.parse(requestJson))
        .then((answer) => {
          if (current) setQuoteState({ kind: 'ready', quote: answer });
        })
        .catch((err: unknown) => {
          if (current) setQuoteState({ kind: 'failed', message: messageOf(err, '价格计算失败，请稍后再试') });
        });
    }, QUOTE_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [requestJson]);

  const update = (patch: Partial<CheckoutForm>) => setForm((f) => ({ ...f, ...patch }));
  const onText = (field: 'name' | 'phone' | 'address' | 'remark') => (e: InputEvent) =>
    update({ [field]: e.detail.value });

  const chooseLocation = async () => {
    try {
      const picked = await Taro.chooseLocation({});
      update({
        location: { lat: picked.latitude, lng: picked.longitude },
        address: form.address || [picked.address, picked.name].filter(Boolean).join(' '),
      });
    } catch {
      // The member closed the map: nothing chosen.
    }
  };

  const submit = async () => {
    if (!request || placing) return;
    setPlacing(true);
    setPlaceError('');
    try {
      const { order, payment } = await placeOrder(request, attempt.current.keyFor(request));
      attempt.current.finish();
      clearCart();
      const outcome = await payWithWechat(payment);
      if (outcome.kind === 'failed') void Taro.showToast({ title: outcome.message, icon: 'none' });
      await Taro.redirectTo({ url: `/pages/order/index?id=${order.id}` });
    } catch (err) {
      // After a network failure the same key is kept, so 重试 cannot place the order twice.
      if (!isTransient(err)) attempt.current.finish();
      setPlaceError(messageOf(err, '下单失败，请稍后再试'));
    } finally {
      setPlacing(false);
    }
  };

  const fulfillments: Fulfillment[] = cart.table ? ['dine_in'] : ['pickup', 'delivery', 'dine_in'];
  const q = quoteState.kind === 'ready' ? quoteState.quote : null;

  return (
    <View className="checkout">
      <View className="checkout__section">
        <Text className="checkout__store">{cart.storeName}</Text>
        <View className="checkout__tabs">
          {fulfillments.map((f) => (
            <View
              key={f}
              className={`checkout__tab${form.fulfillment === f ? ' checkout__tab--active' : ''}`}
              onClick={() => update({ fulfillment: f })}
            >
              {FULFILLMENT_LABEL[f]}
            </View>
          ))}
        </View>

        {form.fulfillment === 'dine_in' && (
          <View className="checkout__table">
            {cart.table ? (
              <Text className="checkout__table-no">桌号：{cart.table.tableNo}</Text>
            ) : (
              <Text className="checkout__hint">堂食请扫描桌上的二维码点餐</Text>
            )}
          </View>
        )}

        {form.fulfillment === 'delivery' && (
          <View className="checkout__address">
            <Input
              className="checkout__input checkout__name"
              placeholder="收货人"
              value={form.name}
              onInput={onText('name')}
            />
            <Input
              className="checkout__input checkout__phone"
              type="number"
              placeholder="手机号"
              value={form.phone}
              onInput={onText('phone')}
            />
            <Input
              className="checkout__input checkout__street"
              placeholder="详细地址（门牌号）"
              value={form.address}
              onInput={onText('address')}
            />
            <View className="checkout__locate" onClick={() => void chooseLocation()}>
              {form.location ? '已选择收货位置（点此修改）' : '选择收货位置'}
            </View>
          </View>
        )}
      </View>

      <View className="checkout__section">
        {cart.items.map((item) => (
          <View className="checkout-item" key={item.key}>
            <View className="checkout-item__info">
              <Text className="checkout-item__name">{item.productName}</Text>
              <Text className="checkout-item__detail">
                {[item.specText, ...item.addonNames].filter(Boolean).join('，')}
              </Text>
            </View>
            <View className="checkout-item__qty">
              <View className="checkout-item__minus" onClick={() => changeQuantity(item.key, item.quantity - 1)}>
                －
              </View>
              <Text className="checkout-item__count">{item.quantity}</Text>
              <View className="checkout-item__plus" onClick={() => changeQuantity(item.key, item.quantity + 1)}>
                ＋
              </View>
            </View>
          </View>
        ))}
        {cart.items.length === 0 && <Text className="checkout__hint">购物车是空的</Text>}
      </View>

      <View className="checkout__section quote">
        {problem && cart.items.length > 0 && <Text className="quote__problem">{problem}</Text>}
        {quoteState.kind === 'loading' && <Text className="quote__loading">正在计算价格…</Text>}
        {quoteState.kind === 'failed' && <Text className="quote__error">{quoteState.message}</Text>}
        {q && (
          <View className="quote__body">
            {q.lines.map((line) => (
              <View className="quote-line" key={[line.skuCode, ...line.addons.map((a) => a.code ?? a.name)].join('|')}>
                <Text className="quote-line__name">
                  {line.name}
                  {line.specText ? `（${line.specText}）` : ''}
                  {line.addons.length ? ` ${line.addons.map((a) => a.name).join('，')}` : ''} ×{line.quantity}
                </Text>
                <Text className="quote-line__total">{formatFen(line.lineTotal)}</Text>
              </View>
            ))}
            <View className="quote__row">
              <Text>打包费</Text>
              <Text className="quote__packaging">{formatFen(q.amounts.packaging)}</Text>
            </View>
            <View className="quote__row">
              <Text>配送费</Text>
              <Text className="quote__delivery-fee">{formatFen(q.amounts.deliveryFee)}</Text>
            </View>
            {q.amounts.discount > 0 && (
              <View className="quote__row">
                <Text>优惠</Text>
                <Text className="quote__discount">-{formatFen(q.amounts.discount)}</Text>
              </View>
            )}
            <View className="quote__row quote__row--total">
              <Text>合计</Text>
              <Text className="quote__total">{formatFen(q.amounts.total)}</Text>
            </View>
            <Text className="quote__promised">
              {form.fulfillment === 'delivery' ? '预计送达' : '预计出餐'}{' '}
              {storeTime(q.promisedAt, zoneOf(stores, q.storeId))}
            </Text>
          </View>
        )}
      </View>

      <View className="checkout__section">
        <Textarea
          className="checkout__remark"
          placeholder="备注（口味、忌口等）"
          value={form.remark}
          maxlength={200}
          onInput={onText('remark')}
        />
      </View>

      {placeError && <Text className="checkout__error">{placeError}</Text>}

      <View className="checkout__bar">
        <Text className="checkout__bar-total">{q ? `合计 ${formatFen(q.amounts.total)}` : ''}</Text>
        <Button
          className="checkout__submit"
          type="primary"
          size="mini"
          loading={placing || undefined}
          disabled={!q || placing || undefined}
          onClick={() => void submit()}
        >
          {placeError ? '重试' : '提交订单'}
        </Button>
      </View>
    </View>
  );
}
