/**
 * Every cryptographic primitive minqing uses sits behind this module, so a deployment that must use
 * the Chinese national algorithms (SM2 signatures, SM3 hashing, SM4 field encryption; GB/T 39786) can
 * switch them here without touching the capabilities.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as signBytes,
  verify as verifyBytes,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A URL-safe random token (session cookies, one-time links). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A numeric one-time code, uniformly random. */
export function randomDigits(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomBytes(1)[0]!;
    // Reject 250–255 so every digit is equally likely.
    if (byte < 250) out += String(byte % 10);
  }
  return out;
}

/**
 * Field-level encryption for personal information at rest (AES-256-GCM), plus a keyed blind index
 * (HMAC-SHA-256) so an encrypted phone number can still be looked up at sign-in.
 */
export class FieldCipher {
  private readonly encKey: Buffer;
  private readonly indexKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the field encryption key must be 32 bytes');
    // Separate keys for separate purposes, derived from the one configured secret.
    this.encKey = createHmac('sha256', masterKey).update('minqing field encryption').digest();
    this.indexKey = createHmac('sha256', masterKey).update('minqing blind index').digest();
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  decrypt(token: string): string {
    if (!token.startsWith('v1:')) throw new Error('unknown ciphertext format');
    const raw = Buffer.from(token.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  blindIndex(value: string): string {
    return createHmac('sha256', this.indexKey).update(value).digest('base64url');
  }
}

/** Reads the configured key, or creates one in the data folder on first start (mode 0600). */
export function loadOrCreateFieldKey(configured: string | undefined, file: string): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeSecret(file, key.toString('base64'));
  return key;
}

export interface SigningKey {
  keyId: string;
  algorithm: 'ed25519';
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Raw 32-byte public key, base64 — what a browser imports into Web Crypto. */
  publicKeyRaw: string;
  publicKeyPem: string;
}

export function loadOrCreateSigningKey(file: string): SigningKey {
  let privateKey: KeyObject;
  if (existsSync(file)) {
    privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  } else {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    writeSecret(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // An Ed25519 SPKI is a fixed 12-byte prefix followed by the 32-byte key.
  const raw = spki.subarray(spki.length - 32);
  return {
    keyId: `ed25519:${sha256Hex(raw).slice(0, 16)}`,
    algorithm: 'ed25519',
    privateKey,
    publicKey,
    publicKeyRaw: raw.toString('base64'),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function signText(key: SigningKey, text: string): string {
  return signBytes(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
}

function publicKeyFromRaw(publicKeyRawBase64: string): KeyObject {
  const raw = Buffer.from(publicKeyRawBase64, 'base64');
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

export function verifySignature(publicKeyRawBase64: string, text: string, signatureBase64: string): boolean {
  const publicKey = publicKeyFromRaw(publicKeyRawBase64);
  return verifyBytes(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
}

/** The SubjectPublicKeyInfo PEM of a raw Ed25519 public key (base64), as published for verifiers. */
export function publicKeyPem(publicKeyRawBase64: string): string {
  return publicKeyFromRaw(publicKeyRawBase64).export({ type: 'spki', format: 'pem' }).toString();
}

function writeSecret(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, content + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}
