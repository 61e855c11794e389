import type { CreateRoutingRule, RoutingRule } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import type { Actor } from '../../policy/index.ts';
import { actingRole, authorizeManageRulesAt } from './policy.ts';
import { presentRule, RULE_PROJECTED_COLUMNS } from './present.ts';
import { findActiveRuleAt, findRule, insertRule } from './repository.ts';
import { routeCache } from './resolve-route.ts';
import { journalRuleEvent } from './rule-journal.ts';
import { checkRuleCategory, routableUnit, ruleExists, ruleOrganisation } from './rule-checks.ts';

/**
 * Creates a routing rule: from now on, cases of `category` inside `unitId` go to `orgId` unless a
 * more specific rule says otherwise. Only admins covering the unit; one active rule per unit and
 * category (409 rule_exists). The rule and its journal entry commit together.
 */
export async function createRoutingRule(
  app: App,
  actor: Actor | null,
  input: CreateRoutingRule,
): Promise<RoutingRule> {
  const unit = await routableUnit(app, input.unitId);
  const admin = authorizeManageRulesAt(actor, unit.path);
  await checkRuleCategory(app.db, input.category);
  await ruleOrganisation(app.db, input.orgId, unit);
  const id = crypto.randomUUID();
  try {
    await inTransaction(app.db, async (trx) => {
      const existing = await findActiveRuleAt(trx, unit.id, input.category);
      if (existing) throw ruleExists(existing);
      const row = await insertRule(trx, {
        id,
        category: input.category,
        unitId: unit.id,
        orgId: input.orgId,
        note: input.note ?? null,
        createdBy: admin.userId,
      });
      await journalRuleEvent(trx, {
        row,
        streetId: unit.streetId!,
        action: 'create',
        actorId: admin.userId,
        actorRole: actingRole(admin, unit.path),
        changed: RULE_PROJECTED_COLUMNS,
      });
    });
  } catch (error) {
    // Two admins creating the same rule at once: the unique index decides, the loser hears why.
    if (isUniqueViolation(error, 'routing_rules_active_unique')) {
      throw ruleExists((await findActiveRuleAt(app.db, unit.id, input.category)) ?? id);
    }
    throw error;
  }
  routeCache.invalidate();
  return presentRule((await findRule(app.db, id))!, admin);
}
