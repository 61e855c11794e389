import { generateSecret, generateURI, verify } from 'otplib';

/**
 * The TOTP second factor (RFC 6238: SHA-1, 6 digits, 30-second steps — what every authenticator app
 * speaks). A code is accepted one step early or late for clock drift, and never twice.
 */
const ISSUER = '民情 minqing';
const DRIFT_SECONDS = 30;

/** A fresh 160-bit secret, Base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: ISSUER, label: accountName, secret });
}

/**
 * The time step of `code` when it is valid for `secret` and later than `lastStep` (so a code seen
 * once — by a shoulder-surfer, say — cannot be replayed); null otherwise.
 */
export async function acceptTotp(
  secret: string,
  code: string,
  lastStep: number | null,
): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    epochTolerance: DRIFT_SECONDS,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
