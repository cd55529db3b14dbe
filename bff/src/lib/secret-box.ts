import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets kept at rest (Meituan appAuthTokens, Ele.me refresh tokens) are sealed with AES-256-GCM
 * under DATA_ENCRYPTION_KEY: `v1.<iv b64url>.<ciphertext+tag b64url>`. A leaked database dump
 * does not leak the tokens.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the data encryption key must be 32 bytes');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${iv.toString('base64url')}.${data.toString('base64url')}`;
  }

  open(sealed: string): string {
    const [version, ivText, dataText] = sealed.split('.');
    if (version !== 'v1' || !ivText || !dataText) throw new Error('not a sealed secret');
    const data = Buffer.from(dataText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(ivText, 'base64url'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  }
}
