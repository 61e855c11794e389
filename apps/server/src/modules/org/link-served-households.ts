import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { findUnitsByIds } from '../areas/repository.ts';
import { invalidField } from '../areas/unit-validation.ts';
import { orgManageGrant } from './policy.ts';
import { lockOrganisation, replaceServedHouseholds } from './repository.ts';

/**
 * Sets the households a party-member household (党员中心户) looks after, replacing the list: active
 * households in the same community, each within the caller's management scope.
 */
export async function linkServedHouseholds(
  db: Db,
  orgId: string,
  householdIds: readonly string[],
  actor: Actor,
): Promise<void> {
  const ids = [...new Set(householdIds)];
  await inTransaction(db, async (trx) => {
    const org = await lockOrganisation(trx, orgId);
    if (!org) throw errors.notFound({ zh: '组织', en: 'Organisation' });
    if (org.kind !== 'party_member_household') {
      throw errors.unprocessable('not_party_member_household', {
        zh: '只有党员中心户可以联系服务户',
        en: 'Only a party-member household serves households',
      });
    }
    const ancestors = await findUnitsByIds(trx, org.unit.path.split('/').filter(Boolean));
    const community = ancestors.find((unit) => unit.kind === 'community');
    const communityPrefix = community?.path ?? org.unit.path;
    const households = new Map((await findUnitsByIds(trx, ids)).map((unit) => [unit.id, unit]));
    ids.forEach((id, index) => {
      const household = households.get(id);
      const path = `body.householdIds.${index}`;
      if (!household || household.kind !== 'household' || !household.isActive) {
        throw invalidField(path, { zh: '不是启用中的住户', en: 'not an active household' });
      }
      if (!household.path.startsWith(communityPrefix) || !orgManageGrant(actor, household.path)) {
        throw invalidField(path, {
          zh: `住户“${household.name}”不在本社区或不在您的管理范围内`,
          en: `the household "${household.name}" is not in this community or not in your scope`,
        });
      }
    });
    await replaceServedHouseholds(trx, orgId, org.streetId, ids);
  });
}
