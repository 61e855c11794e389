import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { passwordProblems } from '@minqing/contract';
import { errors } from '../../errors.ts';

/** Argon2id with the OWASP-recommended parameters (19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without a hash (unknown account, resident without a
 * password) it still spends the time of one Argon2 verification, so the answer's timing does not
 * tell which accounts exist.
 */
export async function verifyPassword(
  storedHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('minqing timing equaliser');
    await argon2Verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2Verify(storedHash, password);
  } catch {
    return false;
  }
}

/** Refuses a password that breaks the rules (422 weak_password, each problem in both languages). */
export function assertPasswordRules(
  password: string,
  account: { username?: string | null; phone?: string | null },
): void {
  const problems = passwordProblems(password, account);
  if (problems.length === 0) return;
  throw errors.unprocessable(
    'weak_password',
    {
      zh: `密码不符合要求：${problems.map((p) => p.zh).join('；')}`,
      en: `The password does not meet the rules: ${problems.map((p) => p.en).join('; ')}`,
    },
    { problems },
  );
}
