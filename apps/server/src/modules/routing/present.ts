import type { RoutingRule } from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import { ruleActions } from './policy.ts';
import type { RoutingRuleRow, RuleListRow } from './repository.ts';

export function presentRule(row: RuleListRow, actor: Actor | null): RoutingRule {
  return {
    id: row.id,
    category: row.category,
    categoryName:
      row.category_name_zh !== null && row.category_name_en !== null
        ? { zh: row.category_name_zh, en: row.category_name_en }
        : null,
    unit: { id: row.unit_id, kind: row.unit_kind, code: row.unit_code, name: row.unit_name },
    org: { id: row.org_id, name: row.org_name, kind: row.org_kind, isActive: row.org_is_active },
    note: row.note,
    isActive: row.is_active,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    allowedActions: ruleActions(actor, row),
  };
}

/** The routing_rules columns the journal reproduces (everything but the id), instants as ISO strings. */
export const RULE_PROJECTED_COLUMNS = [
  'category',
  'unit_id',
  'org_id',
  'note',
  'is_active',
  'created_by',
  'created_at',
  'updated_at',
  'version',
] as const satisfies readonly (keyof RoutingRuleRow)[];

type JsonValue = string | number | boolean | null;

/** The `payload.set` of a rule event: the columns given, as the journal stores them. */
export function ruleJournalSet(
  row: RoutingRuleRow,
  columns: readonly (typeof RULE_PROJECTED_COLUMNS)[number][] = RULE_PROJECTED_COLUMNS,
): Record<string, JsonValue> {
  const set: Record<string, JsonValue> = {};
  for (const column of columns) {
    const value = row[column];
    set[column] = value instanceof Date ? value.toISOString() : value;
  }
  return set;
}
