import type { CheckoutRequest, Fulfillment } from 'shared-types';
import { type CartState, cartLines } from '../cart/cart';

/** What the member filled in on the checkout page. */
export interface CheckoutForm {
  fulfillment: Fulfillment;
  name: string;
  phone: string;
  address: string;
  /** Where the address is (from the location picker); delivery fees and zones depend on it. */
  location: { lat: number; lng: number } | null;
  remark: string;
  /** Pickup: the booked time (ISO, 预约自取); null = as soon as the kitchen can. */
  pickupAt: string | null;
  /** Pickup and dine-in: a phone the store may call (optional). */
  contactPhone: string;
}

export const emptyForm = (fulfillment: Fulfillment): CheckoutForm => ({
  fulfillment,
  name: '',
  phone: '',
  address: '',
  location: null,
  remark: '',
  pickupAt: null,
  contactPhone: '',
});

const PHONE = /^\+?[\d\s-]{5,20}$/;

/** Why the order cannot be quoted or placed yet (Chinese), or null when the request can be built. */
export function formProblem(cart: CartState, form: CheckoutForm): string | null {
  if (cart.items.length === 0) return '购物车是空的';
  if (form.fulfillment === 'dine_in' && !cart.table) return '堂食请扫描桌上的二维码点餐';
  if (form.fulfillment === 'delivery') {
    if (!form.name.trim()) return '请填写收货人';
    if (!PHONE.test(form.phone.trim())) return '请填写正确的手机号';
    if (!form.address.trim()) return '请填写收货地址';
    if (!form.location) return '请选择收货位置';
  } else if (form.contactPhone.trim() && !PHONE.test(form.contactPhone.trim())) {
    return '请填写正确的联系电话';
  }
  return null;
}

/** The API body for the cart and form (call only when `formProblem` says null). */
export function checkoutRequest(cart: CartState, form: CheckoutForm): CheckoutRequest {
  const remark = form.remark.trim();
  return {
    storeId: cart.storeId,
    fulfillment: form.fulfillment,
    lines: cartLines(cart.items),
    ...(form.fulfillment === 'dine_in' && cart.table
      ? { tableCode: cart.table.code, tableNo: cart.table.tableNo }
      : {}),
    ...(form.fulfillment === 'delivery' && form.location
      ? {
          address: {
            name: form.name.trim(),
            phone: form.phone.trim(),
            address: form.address.trim(),
            lat: form.location.lat,
            lng: form.location.lng,
          },
        }
      : {}),
    ...(form.fulfillment === 'pickup' && form.pickupAt ? { pickupAt: form.pickupAt } : {}),
    ...(form.fulfillment !== 'delivery' && form.contactPhone.trim() ? { contactPhone: form.contactPhone.trim() } : {}),
    ...(remark ? { remark } : {}),
  };
}

/** A fresh Idempotency-Key for one attempt at placing an order. */
export function newIdempotencyKey(): string {
  const random = Math.random().toString(36).slice(2, 12);
  return `mp-${Date.now().toString(36)}-${random}`;
}

/**
 * One attempt at placing an order keeps its Idempotency-Key while the member retries after a
 * network failure, so the BFF answers the first result instead of placing a second order. A
 * changed cart or form, or a definite answer (success or refusal), starts a new attempt.
 */
export class PlaceAttempt {
  private current: { key: string; body: string } | null = null;

  keyFor(request: CheckoutRequest): string {
    const body = JSON.stringify(request);
    if (this.current?.body !== body) this.current = { key: newIdempotencyKey(), body };
    return this.current.key;
  }

  /** The attempt is over: the next try places afresh. */
  finish(): void {
    this.current = null;
  }
}
