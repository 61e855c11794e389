import type { RoutingRule, UpdateRoutingRule } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { actingRole, authorizeManageRule } from './policy.ts';
import type { RULE_PROJECTED_COLUMNS } from './present.ts';
import { presentRule } from './present.ts';
import { findActiveRuleAt, findRule, lockRule, updateRule } from './repository.ts';
import { routeCache } from './resolve-route.ts';
import { journalRuleEvent } from './rule-journal.ts';
import { checkRuleCategory, routableUnit, ruleExists, ruleOrganisation } from './rule-checks.ts';

export const ruleNotFound = () => errors.notFound({ zh: '分拨规则', en: 'Routing rule' });

type Column = (typeof RULE_PROJECTED_COLUMNS)[number];

/**
 * Changes a rule's category, organisation or note (its unit is fixed: a rule for another place is
 * another rule). Optimistic: a different current version answers 409 stale_version. A deactivated
 * rule is activated before it is edited.
 */
export async function updateRoutingRule(
  app: App,
  actor: Actor | null,
  id: string,
  input: UpdateRoutingRule,
): Promise<RoutingRule> {
  const { admin, rule: current } = authorizeManageRule(actor, await findRule(app.db, id));
  const unit = await routableUnit(app, current.unit_id);
  if (input.category !== undefined) await checkRuleCategory(app.db, input.category);
  if (input.orgId !== undefined) await ruleOrganisation(app.db, input.orgId, unit);
  try {
    await inTransaction(app.db, async (trx) => {
      const locked = await lockRule(trx, id);
      if (!locked) throw ruleNotFound();
      if (locked.version !== input.expectedVersion) throw errors.staleVersion(locked.version);
      if (!locked.is_active) {
        throw errors.conflict(
          'rule_inactive',
          {
            zh: '该分拨规则已停用，请先启用再修改',
            en: 'The rule is deactivated; activate it before editing',
          },
          { allowedActions: ['activate'] },
        );
      }
      const changes: { category?: string; org_id?: string; note?: string | null } = {};
      if (input.category !== undefined && input.category !== locked.category) {
        const clash = await findActiveRuleAt(trx, locked.unit_id, input.category, id);
        if (clash) throw ruleExists(clash);
        changes.category = input.category;
      }
      if (input.orgId !== undefined && input.orgId !== locked.org_id) changes.org_id = input.orgId;
      if (input.note !== undefined && input.note !== locked.note) changes.note = input.note;
      if (Object.keys(changes).length === 0) return;
      const row = await updateRule(trx, id, changes);
      const columns: Column[] = [
        ...Object.keys(changes).map((key) => key as Column),
        'updated_at',
        'version',
      ];
      await journalRuleEvent(trx, {
        row,
        streetId: unit.streetId!,
        action: 'update',
        actorId: admin.userId,
        actorRole: actingRole(admin, unit.path),
        changed: columns,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error, 'routing_rules_active_unique')) {
      throw ruleExists(
        (await findActiveRuleAt(app.db, current.unit_id, input.category ?? current.category, id)) ?? id,
      );
    }
    throw error;
  }
  routeCache.invalidate();
  return presentRule((await findRule(app.db, id))!, admin);
}
