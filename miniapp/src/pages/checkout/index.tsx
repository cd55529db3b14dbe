import { Input, ScrollView, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Fulfillment, QuoteResponse } from 'shared-types';
import { formatFen } from 'shared-types/money';
import { changeQuantity, clearCart } from '../../cart/cart';
import { useCart } from '../../cart/use-cart';
import { type CheckoutForm, checkoutRequest, emptyForm, formProblem, PlaceAttempt } from '../../checkout/checkout';
import { isTransient, messageOf } from '../../services/errors';
import { placeOrder, quote } from '../../services/member';
import { useStoreDirectory, zoneOf } from '../../services/stores';
import { payWithWechat } from '../../services/wechat';
import { dayAndTime, pickupSlots } from '../../utils/hours';
import { FULFILLMENT_LABEL } from '../../utils/labels';
import { orderUrl } from '../../utils/routes';
import '../../components/Sheet.css';
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
  const [choosingTime, setChoosingTime] = useState(false);
  const stores = useStoreDirectory(true);
  const attempt = useRef(new PlaceAttempt());
  const store = stores?.get(cart.storeId) ?? null;
  const zone = zoneOf(stores, cart.storeId);

  // 预约自取: a closed store that takes orders ahead offers only booked times; an open one adds 尽快取餐.
  const slots = useMemo(() => (store ? pickupSlots(store) : []), [store]);
  const asapAllowed = !store || store.openNow;
  useEffect(() => {
    if (!asapAllowed && form.fulfillment === 'pickup' && !form.pickupAt && slots[0]) {
      setForm((f) => ({ ...f, pickupAt: slots[0] ?? null }));
    }
  }, [asapAllowed, slots, form.fulfillment, form.pickupAt]);

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
    setPlaceError('');
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
  const onText = (field: 'name' | 'phone' | 'address' | 'remark' | 'contactPhone') => (e: InputEvent) =>
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

  const q = quoteState.kind === 'ready' ? quoteState.quote : null;
  const canSubmit = Boolean(request && q && !placing);

  const submit = async () => {
    // A greyed-out button does nothing: no quote (closed store, bad form) means no order.
    if (!request || !q || placing) return;
    setPlacing(true);
    setPlaceError('');
    try {
      const { order, payment } = await placeOrder(request, attempt.current.keyFor(request));
      attempt.current.finish();
      const outcome = await payWithWechat(payment, { payee: cart.storeName || '合一小馆', amount: order.amounts.paid });
      // The order exists now, paid or not (its page offers 去支付): the cart has done its job.
      clearCart();
      if (outcome.kind === 'failed') void Taro.showToast({ title: outcome.message, icon: 'none' });
      await Taro.redirectTo({ url: orderUrl(order.id) });
    } catch (err) {
      // After a network failure the same key is kept, so 重试 cannot place the order twice.
      if (!isTransient(err)) attempt.current.finish();
      setPlaceError(messageOf(err, '下单失败，请稍后再试'));
    } finally {
      setPlacing(false);
    }
  };

  const fulfillments: Fulfillment[] = cart.table ? ['dine_in'] : ['pickup', 'delivery', 'dine_in'];
  // One message at a time: the form's problem, else the quote's refusal, else the placement's.
  const shownError =
    placeError ||
    (quoteState.kind === 'failed' ? quoteState.message : '') ||
    (problem && cart.items.length > 0 ? problem : '');
  const timeText = form.pickupAt
    ? `预约 ${dayAndTime(form.pickupAt, zone)}`
    : q
      ? `尽快取餐（约 ${dayAndTime(q.promisedAt, zone).replace(/^今天 /, '')}）`
      : '尽快取餐';

  return (
    <View className="checkout">
      <View className="checkout__section">
        <Text className="checkout__store">{cart.storeName}</Text>
        {store ? <Text className="checkout__store-address">{store.address}</Text> : null}
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

        {form.fulfillment === 'pickup' && (
          <View className="checkout__row checkout__time" onClick={() => slots.length > 0 && setChoosingTime(true)}>
            <Text className="checkout__label">取餐时间</Text>
            <Text className="checkout__value checkout__time-value">
              {timeText}
              {slots.length > 0 ? ' ›' : ''}
            </Text>
          </View>
        )}

        {form.fulfillment === 'dine_in' && (
          <View className="checkout__table">
            {cart.table ? (
              <Text className="checkout__table-no">桌号：{cart.table.tableNo}</Text>
            ) : (
              <Text className="checkout__hint">堂食请扫描桌上的二维码点餐</Text>
            )}
          </View>
        )}

        {form.fulfillment !== 'delivery' && (
          <View className="checkout__row">
            <Text className="checkout__label">联系电话</Text>
            <Input
              className="checkout__input checkout__contact"
              type="number"
              placeholder="选填，方便门店联系您"
              value={form.contactPhone}
              onInput={onText('contactPhone')}
            />
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

      {(quoteState.kind === 'loading' || q) && (
        <View className="checkout__section quote">
          {quoteState.kind === 'loading' && <Text className="quote__loading">正在计算价格…</Text>}
          {q && (
            <View className="quote__body">
              {q.lines.map((line) => (
                <View
                  className="quote-line"
                  key={[line.skuCode, ...line.addons.map((a) => a.code ?? a.name)].join('|')}
                >
                  <Text className="quote-line__name">
                    {line.name}
                    {line.specText ? `（${line.specText}）` : ''}
                    {line.addons.length ? ` ${line.addons.map((a) => a.name).join('，')}` : ''} ×{line.quantity}
                  </Text>
                  <Text className="quote-line__total">{formatFen(line.lineTotal)}</Text>
                </View>
              ))}
              {q.amounts.packaging > 0 && (
                <View className="quote__row">
                  <Text>打包费</Text>
                  <Text className="quote__packaging">{formatFen(q.amounts.packaging)}</Text>
                </View>
              )}
              {q.fulfillment === 'delivery' && (
                <View className="quote__row">
                  <Text>配送费{q.deliveryZone ? `（${q.deliveryZone.name}）` : ''}</Text>
                  <Text className="quote__delivery-fee">{formatFen(q.amounts.deliveryFee)}</Text>
                </View>
              )}
              {q.amounts.discount > 0 && (
                <View className="quote__row">
                  <Text>优惠</Text>
                  <Text className="quote__discount">{formatFen(-q.amounts.discount)}</Text>
                </View>
              )}
              <View className="quote__row quote__row--total">
                <Text>合计</Text>
                <Text className="quote__total">{formatFen(q.amounts.total)}</Text>
              </View>
              {form.fulfillment !== 'pickup' && (
                <Text className="quote__promised">
                  {form.fulfillment === 'delivery' ? '预计送达' : '预计出餐'} {dayAndTime(q.promisedAt, zone)}
                </Text>
              )}
            </View>
          )}
        </View>
      )}

      <View className="checkout__section">
        <Textarea
          className="checkout__remark"
          placeholder="备注（口味、忌口等）"
          value={form.remark}
          maxlength={200}
          onInput={onText('remark')}
        />
      </View>

      {shownError && <Text className="checkout__error">{shownError}</Text>}

      <View className="checkout__bar">
        <Text className="checkout__bar-total">{q ? `合计 ${formatFen(q.amounts.total)}` : ''}</Text>
        {/* A View, not a Button: Taro H5 fires onClick on a disabled Button. */}
        <View
          className={`checkout__submit${canSubmit ? '' : ' checkout__submit--disabled'}`}
          aria-disabled={!canSubmit}
          onClick={() => void submit()}
        >
          {placing ? '正在提交…' : placeError ? '重试' : '提交订单'}
        </View>
      </View>

      {choosingTime && (
        <View className="sheet time-sheet">
          <View className="sheet__mask" onClick={() => setChoosingTime(false)} />
          <View className="sheet__panel">
            <View className="sheet__head">
              <Text className="sheet__title">选择取餐时间</Text>
              <Text className="sheet__action time-sheet__close" onClick={() => setChoosingTime(false)}>
                关闭
              </Text>
            </View>
            <ScrollView className="time-sheet__list" scrollY>
              {asapAllowed && (
                <View
                  className={`time-sheet__option${form.pickupAt === null ? ' time-sheet__option--active' : ''}`}
                  onClick={() => {
                    update({ pickupAt: null });
                    setChoosingTime(false);
                  }}
                >
                  尽快取餐
                </View>
              )}
              {slots.map((slot) => (
                <View
                  key={slot}
                  className={`time-sheet__option${form.pickupAt === slot ? ' time-sheet__option--active' : ''}`}
                  onClick={() => {
                    update({ pickupAt: slot });
                    setChoosingTime(false);
                  }}
                >
                  {dayAndTime(slot, zone)}
                </View>
              ))}
            </ScrollView>
          </View>
        </View>
      )}
    </View>
  );
}
