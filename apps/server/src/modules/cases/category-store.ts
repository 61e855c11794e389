import type { Db } from '../../db/database.ts';
import { ZTimeLimits, type TimeLimits } from './deadlines.ts';

export interface CaseCategory {
  code: string;
  majorCode: string;
  name: { zh: string; en: string };
  majorName: { zh: string; en: string };
  acceptanceStandard: string;
  closureStandard: string;
  timeLimits: TimeLimits;
  defaultOrgKind: string | null;
  isSensitive: boolean;
  isActive: boolean;
  sort: number;
}

const TTL_MS = 60_000;
const stores = new WeakMap<Db, CategoryStore>();

/**
 * The category dictionary, cached in the process: intake needs a category's time limits on every
 * report, and the dictionary changes a few times a year. Edits show after at most a minute, or at once
 * after `invalidate()`.
 */
export class CategoryStore {
  private cached: { byCode: Map<string, CaseCategory>; loadedAt: number } | undefined;
  private loading: Promise<Map<string, CaseCategory>> | undefined;
  // A load that raced with an edit must not cache what it read before the edit.
  private generation = 0;

  constructor(private readonly db: Db) {}

  static of(db: Db): CategoryStore {
    let store = stores.get(db);
    if (!store) {
      store = new CategoryStore(db);
      stores.set(db, store);
    }
    return store;
  }

  async all(): Promise<Map<string, CaseCategory>> {
    if (this.cached && Date.now() - this.cached.loadedAt < TTL_MS) return this.cached.byCode;
    if (!this.loading) {
      const loading = this.load().finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  async get(code: string): Promise<CaseCategory | undefined> {
    return (await this.all()).get(code);
  }

  invalidate(): void {
    this.generation++;
    this.cached = undefined;
    this.loading = undefined;
  }

  private async load(): Promise<Map<string, CaseCategory>> {
    const generation = this.generation;
    const rows = await this.db
      .selectFrom('case_categories')
      .selectAll()
      .orderBy('sort')
      .orderBy('code')
      .execute();
    const byCode = new Map<string, CaseCategory>();
    for (const row of rows) {
      byCode.set(row.code, {
        code: row.code,
        majorCode: row.major_code,
        name: { zh: row.name_zh, en: row.name_en },
        majorName: { zh: row.major_name_zh, en: row.major_name_en },
        acceptanceStandard: row.acceptance_standard,
        closureStandard: row.closure_standard,
        // A malformed limit in the database is an operator's mistake to fix, not a silent default.
        timeLimits: ZTimeLimits.parse(row.time_limits),
        defaultOrgKind: row.default_org_kind,
        isSensitive: row.is_sensitive,
        isActive: row.is_active,
        sort: row.sort,
      });
    }
    if (generation === this.generation) this.cached = { byCode, loadedAt: Date.now() };
    return byCode;
  }
}
