import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import { isActiveUser, lockOrganisation, upsertMember } from './repository.ts';

/**
 * Makes a person a member of an organisation with a title (书记, 队长, 调解员…), or changes the
 * title of a member. Membership says who belongs; the right to handle a team's cases is a handler
 * role granted in the people module.
 */
export async function putOrganisationMember(
  db: Db,
  orgId: string,
  userId: string,
  title: string | null,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const org = await lockOrganisation(trx, orgId);
    if (!org) throw errors.notFound({ zh: '组织', en: 'Organisation' });
    if (!org.isActive) {
      throw errors.unprocessable('organisation_inactive', {
        zh: '组织已停用，不能添加成员',
        en: 'The organisation is deactivated; no member can be added',
      });
    }
    if (!(await isActiveUser(trx, userId))) throw errors.notFound({ zh: '用户', en: 'User' });
    await upsertMember(trx, orgId, userId, title);
  });
}
