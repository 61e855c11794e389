import { passwordProblems } from '@minqing/contract';
import { describe, expect, it } from 'vitest';

const codes = (password: string, account = {}) => passwordProblems(password, account).map((p) => p.code);

describe('password rules (MLPS level 3 practice)', () => {
  it('accepts 8+ characters with three of the four character classes', () => {
    expect(codes('Minqing2026')).toEqual([]); // lower, upper, digits
    expect(codes('minqing#2026')).toEqual([]); // lower, symbol, digits
    expect(codes('MINQING#abc')).toEqual([]); // upper, symbol, lower
    expect(codes('社区Ab#1234')).toEqual([]); // non-Latin letters count as symbols
  });

  it('refuses fewer than 8 characters', () => {
    expect(codes('Ab#1234')).toEqual(['too_short']);
  });

  it('refuses more than 128 characters', () => {
    expect(codes(`Aa1#${'x'.repeat(125)}`)).toEqual(['too_long']);
  });

  it('refuses passwords with fewer than three character classes', () => {
    expect(codes('minqing2026')).toEqual(['too_few_classes']);
    expect(codes('MINQINGSHEQU')).toEqual(['too_few_classes']);
    expect(codes('1234567890')).toEqual(['too_few_classes']);
  });

  it('refuses a password containing the username, whatever its case', () => {
    expect(codes('Zhangsan#2026', { username: 'zhangsan' })).toEqual(['contains_username']);
    expect(codes('xZHANGSANx#1', { username: 'ZhangSan' })).toEqual(['contains_username']);
    expect(codes('Zhang#2026san', { username: 'zhangsan' })).toEqual([]);
  });

  it('refuses a password containing the mobile number', () => {
    expect(codes('Ab#17012345678', { phone: '17012345678' })).toEqual(['contains_phone']);
  });

  it('refuses the well-known compliant but weak passwords', () => {
    expect(codes('Admin@123')).toEqual(['too_common']);
    expect(codes('P@ssw0rd')).toEqual(['too_common']);
    expect(codes('1qaz@WSX')).toEqual(['too_common']);
  });

  it('lists every problem at once, each in Chinese and English', () => {
    const problems = passwordProblems('abc', { username: 'abc' });
    expect(problems.map((p) => p.code)).toEqual(['too_short', 'too_few_classes', 'contains_username']);
    for (const problem of problems) {
      expect(problem.zh).toMatch(/\p{Script=Han}/u);
      expect(problem.en).toMatch(/[a-z]/);
    }
  });
});
