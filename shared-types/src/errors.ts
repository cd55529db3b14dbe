import { z } from 'zod';

/**
 * Stable error codes. Clients branch on `code`, never on `message`.
 * New codes are added here so the mini-program and the BFF share one list.
 */
export const ErrorCode = z.enum([
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'INVALID_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'OUT_OF_SCOPE',
  'RATE_LIMITED',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_IN_PROGRESS',
  'NOT_READY',
  'INTERNAL',
  'STORE_NOT_FOUND',
  'SERVICE_UNAVAILABLE',
  // orders, members, payments, delivery (issue 5)
  'ORDER_STATE',
  'SKU_UNAVAILABLE',
  'ADDON_CHOICES',
  'STORE_CLOSED',
  'PICKUP_TIME_UNAVAILABLE',
  'DELIVERY_UNAVAILABLE',
  'DELIVERY_OUT_OF_RANGE',
  'DELIVERY_BELOW_MINIMUM',
  'TABLE_CODE_INVALID',
  'CANCEL_REASON_UNSUPPORTED',
  'WECHAT_LOGIN_FAILED',
  'PAYMENT_UNAVAILABLE',
  // stock and kitchen capacity (issue 4)
  'STOCK_INSUFFICIENT',
  'CAPACITY_FULL',
  'CAPACITY_INVALID',
  'UNKNOWN_SKU',
  'SKU_NOT_CARRIED',
  'STOCK_NOT_COUNTED',
  'RESERVATION_CONFLICT',
  'RESERVATION_RELEASED',
  // catalog, publish and menu sync (issue 3)
  'CODE_TAKEN',
  'SKU_CODE_TAKEN',
  'SPEC_GROUP_EMPTY',
  'PRICE_OUT_OF_RANGE',
  'MENU_MODE_FORBIDS',
  'IMPORT_INVALID',
  'PUBLISH_IN_PROGRESS',
  'PLATFORM_NOT_BOUND',
  'SIGNATURE_INVALID',
  'UNKNOWN_CATEGORY',
  'UNKNOWN_ADDON_GROUP',
  'UNKNOWN_PRODUCT',
  'UNKNOWN_STORE',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
