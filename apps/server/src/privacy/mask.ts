/**
 * Masking wherever the viewer lacks the right to see personal information in full (DESIGN.md,
 * "Privacy"): phone 138****1234, ID 110***********1234, name 张* / 欧阳**, address cut after the compound.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function maskIdNumber(id: string): string {
  if (id.length <= 7) return '*'.repeat(id.length);
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

// Two-character compound surnames keep both characters (欧阳**, 司马*).
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '钟离',
  '端木',
  '南宫',
  '西门',
  '独孤',
]);

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (/^[\p{Script=Han}·]+$/u.test(name)) {
    const surnameLength = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
    return chars.slice(0, surnameLength).join('') + '*'.repeat(Math.max(1, chars.length - surnameLength));
  }
  // Latin names: keep the initial of each word.
  return name
    .split(/\s+/)
    .map((word) => (word ? `${word[0]}${'*'.repeat(Math.max(1, word.length - 1))}` : word))
    .join(' ');
}

/** Keeps an address down to the compound (小区/村/苑…) and drops building, unit and room numbers. */
export function maskAddress(address: string): string {
  const match = /^(.*?(小区|花园|家园|苑|村|社区|公寓|大院|新村|里|坊))/.exec(address);
  if (match?.[1]) return match[1];
  const cut = address.search(/\d/);
  return cut > 0 ? address.slice(0, cut) : address;
}

/** Mainland mobile numbers: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

export function normalizePhone(input: string): string {
  return input.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
}
