/**
 * The performance figures of DESIGN.md, as pure functions of counts. docs/kpis.md states each formula in
 * words; the composite score's weights come from configuration (KPI_WEIGHTS), not code.
 */
export interface CaseCounts {
  /** cases reported in the period, less rejected and merged ones (应结案数: the cohort that must be closed) */
  due: number;
  accepted: number;
  /** accepted within the acceptance time limit (及时响应) */
  acceptedOnTime: number;
  /** accepted cases that came from residents, the public, the hotline or Open311 rather than patrol (监督举报) */
  acceptedPublicReports: number;
  handled: number;
  handledOnTime: number;
  closed: number;
  closedOnTime: number;
  reworked: number;
  overdueOpen: number;
  followUps: number;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
  /** sum and count of working minutes from report to handled, for the mean handling time */
  handlingMinutesSum: number;
  handlingMinutesCount: number;
}

export const EMPTY_COUNTS: CaseCounts = {
  due: 0,
  accepted: 0,
  acceptedOnTime: 0,
  acceptedPublicReports: 0,
  handled: 0,
  handledOnTime: 0,
  closed: 0,
  closedOnTime: 0,
  reworked: 0,
  overdueOpen: 0,
  followUps: 0,
  satisfied: 0,
  basicallySatisfied: 0,
  unsatisfied: 0,
  handlingMinutesSum: 0,
  handlingMinutesCount: 0,
};

export interface Rates {
  closureRate: number | null;
  onTimeClosureRate: number | null;
  handlingRate: number | null;
  onTimeHandlingRate: number | null;
  reworkRate: number | null;
  publicReportRate: number | null;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  meanHandlingHours: number | null;
}

/** A rate is undefined (null), not zero, when nothing was due: "0 %" would blame a quiet grid. */
function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function computeRates(c: CaseCounts): Rates {
  return {
    closureRate: ratio(c.closed, c.due),
    onTimeClosureRate: ratio(c.closedOnTime, c.due),
    handlingRate: ratio(c.handled, c.due),
    onTimeHandlingRate: ratio(c.handledOnTime, c.due),
    reworkRate: ratio(c.reworked, c.handled),
    publicReportRate: ratio(c.acceptedPublicReports, c.accepted),
    responseRate: ratio(c.acceptedOnTime, c.accepted),
    resolutionRate: ratio(c.satisfied + c.basicallySatisfied, c.followUps),
    // 12345 practice: a "basically satisfied" answer counts for 0.9 of a "satisfied" one.
    satisfactionRate: ratio(c.satisfied + 0.9 * c.basicallySatisfied, c.followUps),
    meanHandlingHours: c.handlingMinutesCount > 0 ? c.handlingMinutesSum / c.handlingMinutesCount / 60 : null,
  };
}

export type ScoredRate =
  | 'onTimeClosureRate'
  | 'onTimeHandlingRate'
  | 'responseRate'
  | 'satisfactionRate'
  | 'reworkRate'
  | 'publicReportRate';

/** Default weights (sum 1). Lower-is-better rates enter as (1 − rate). */
export const DEFAULT_WEIGHTS: Record<ScoredRate, number> = {
  onTimeClosureRate: 0.3,
  onTimeHandlingRate: 0.2,
  responseRate: 0.1,
  satisfactionRate: 0.25,
  reworkRate: 0.1,
  publicReportRate: 0.05,
};

const LOWER_IS_BETTER: ReadonlySet<ScoredRate> = new Set(['reworkRate', 'publicReportRate']);

/**
 * Weighted composite score on a 0–100 scale over the rates that are defined; weights of undefined rates
 * are left out and the rest renormalised, so a unit is not punished for having no follow-ups yet.
 */
export function compositeScore(rates: Rates, weights: Record<ScoredRate, number>): number | null {
  let total = 0;
  let weightSum = 0;
  for (const [key, weight] of Object.entries(weights) as [ScoredRate, number][]) {
    const value = rates[key];
    if (value === null || weight <= 0) continue;
    total += weight * (LOWER_IS_BETTER.has(key) ? 1 - value : value);
    weightSum += weight;
  }
  return weightSum > 0 ? Math.round((total / weightSum) * 1000) / 10 : null;
}

export function parseWeights(json: string | undefined): Record<ScoredRate, number> {
  if (!json) return DEFAULT_WEIGHTS;
  const parsed = JSON.parse(json) as Record<string, unknown>;
  const weights = { ...DEFAULT_WEIGHTS };
  for (const key of Object.keys(weights) as ScoredRate[]) {
    const value = parsed[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`KPI_WEIGHTS.${key} must be a non-negative number`);
    }
    weights[key] = value;
  }
  const unknown = Object.keys(parsed).filter((key) => !(key in weights));
  if (unknown.length) throw new Error(`KPI_WEIGHTS has unknown keys: ${unknown.join(', ')}`);
  return weights;
}
