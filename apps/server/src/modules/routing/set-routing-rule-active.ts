import type { RoutingRule } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { actingRole, authorizeManageRule } from './policy.ts';
import { presentRule } from './present.ts';
import { findActiveRuleAt, findRule, lockRule, updateRule } from './repository.ts';
import { routeCache } from './resolve-route.ts';
import { journalRuleEvent } from './rule-journal.ts';
import { ruleExists, ruleOrganisation, routableUnit } from './rule-checks.ts';
import { ruleNotFound } from './update-routing-rule.ts';

/**
 * Deactivates a rule (cases fall back to the next most specific rule, or the default organisation)
 * or activates it again. Rules are never deleted: the journal and old cases still name them.
 * Deactivating an inactive rule, or activating an active one, answers 409 with what is allowed.
 */
export async function setRoutingRuleActive(
  app: App,
  actor: Actor | null,
  id: string,
  expectedVersion: number,
  isActive: boolean,
): Promise<RoutingRule> {
  const { admin, rule: current } = authorizeManageRule(actor, await findRule(app.db, id));
  if (isActive) {
    // A rule comes back only if its place and organisation are still there to route to.
    const unit = await routableUnit(app, current.unit_id);
    await ruleOrganisation(app.db, current.org_id, unit);
  }
  try {
    await inTransaction(app.db, async (trx) => {
      const locked = await lockRule(trx, id);
      if (!locked) throw ruleNotFound();
      if (locked.version !== expectedVersion) throw errors.staleVersion(locked.version);
      if (locked.is_active === isActive) {
        throw errors.conflict(
          isActive ? 'rule_already_active' : 'rule_already_inactive',
          isActive
            ? { zh: '该分拨规则已在生效中', en: 'The rule is already active' }
            : { zh: '该分拨规则已停用', en: 'The rule is already deactivated' },
          { allowedActions: isActive ? ['update', 'deactivate'] : ['activate'] },
        );
      }
      if (isActive) {
        const clash = await findActiveRuleAt(trx, locked.unit_id, locked.category, id);
        if (clash) throw ruleExists(clash);
      }
      const row = await updateRule(trx, id, { is_active: isActive });
      await journalRuleEvent(trx, {
        row,
        streetId: current.street_id!,
        action: isActive ? 'activate' : 'deactivate',
        actorId: admin.userId,
        actorRole: actingRole(admin, current.unit_path),
        changed: ['is_active', 'updated_at', 'version'],
      });
    });
  } catch (error) {
    if (isUniqueViolation(error, 'routing_rules_active_unique')) {
      throw ruleExists((await findActiveRuleAt(app.db, current.unit_id, current.category, id)) ?? id);
    }
    throw error;
  }
  routeCache.invalidate();
  return presentRule((await findRule(app.db, id))!, admin);
}
