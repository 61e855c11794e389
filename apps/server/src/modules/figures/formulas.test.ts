import { describe, expect, it } from 'vitest';
import { compositeScore, computeRates, DEFAULT_WEIGHTS, EMPTY_COUNTS, parseWeights } from './formulas.ts';

describe('KPI formulas', () => {
  const counts = {
    ...EMPTY_COUNTS,
    due: 20,
    accepted: 18,
    acceptedOnTime: 15,
    acceptedPublicReports: 6,
    handled: 16,
    handledOnTime: 12,
    closed: 10,
    closedOnTime: 8,
    reworked: 2,
    followUps: 10,
    satisfied: 6,
    basicallySatisfied: 3,
    unsatisfied: 1,
    handlingMinutesSum: 16 * 300,
    handlingMinutesCount: 16,
  };

  it('computes each rate from its counts', () => {
    const rates = computeRates(counts);
    expect(rates.closureRate).toBe(0.5);
    expect(rates.onTimeClosureRate).toBe(0.4);
    expect(rates.handlingRate).toBe(0.8);
    expect(rates.onTimeHandlingRate).toBe(0.6);
    expect(rates.reworkRate).toBe(0.125);
    expect(rates.publicReportRate).toBeCloseTo(6 / 18);
    expect(rates.responseRate).toBeCloseTo(15 / 18);
    expect(rates.resolutionRate).toBe(0.9);
    // (6 + 0.9 × 3) / 10
    expect(rates.satisfactionRate).toBeCloseTo(0.87);
    expect(rates.meanHandlingHours).toBe(5);
  });

  it('leaves a rate undefined when nothing was due rather than reporting zero', () => {
    const rates = computeRates(EMPTY_COUNTS);
    expect(rates.closureRate).toBeNull();
    expect(rates.satisfactionRate).toBeNull();
    expect(compositeScore(rates, DEFAULT_WEIGHTS)).toBeNull();
  });

  it('weights the composite score by configuration, inverting lower-is-better rates', () => {
    const rates = computeRates(counts);
    const onlySatisfaction = parseWeights(
      '{"onTimeClosureRate":0,"onTimeHandlingRate":0,"responseRate":0,"reworkRate":0,"publicReportRate":0,"satisfactionRate":1}',
    );
    expect(compositeScore(rates, onlySatisfaction)).toBe(87);
    const onlyRework = parseWeights(
      '{"onTimeClosureRate":0,"onTimeHandlingRate":0,"responseRate":0,"satisfactionRate":0,"publicReportRate":0,"reworkRate":2}',
    );
    expect(compositeScore(rates, onlyRework)).toBe(87.5);
  });

  it('refuses malformed weights', () => {
    expect(() => parseWeights('{"satisfactionRate":-1}')).toThrow(/non-negative/);
    expect(() => parseWeights('{"happiness":1}')).toThrow(/unknown keys/);
  });
});
