import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * PUBLISHED TEST KEYS for the WeChat Pay simulator (see keys/README.md). Not secret; never used in
 * production. The BFF reads the same files outside production when no merchant key is configured.
 */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'keys');
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const ids = JSON.parse(read('ids.json')) as { merchantSerial: string; platformPublicKeyId: string };

export const WECHATPAY_TEST_KEYS = {
  /** The merchant API certificate serial the BFF sends as `serial_no`. */
  merchantSerial: ids.merchantSerial,
  merchantPrivateKey: read('merchant-private.pem'),
  merchantPublicKey: read('merchant-public.pem'),
  /** The WeChat Pay public key id (`Wechatpay-Serial`) the simulator signs under. */
  platformPublicKeyId: ids.platformPublicKeyId,
  platformPrivateKey: read('platform-private.pem'),
  platformPublicKey: read('platform-public.pem'),
} as const;
