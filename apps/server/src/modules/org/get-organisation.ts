import type { OrganisationDetail } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { canSeeOrgDetails } from './policy.ts';
import { presentOrganisationDetail } from './present.ts';
import { listMembers, listServedHouseholds, type OrganisationRecord } from './repository.ts';

/** An organisation with its members and served households, which only staff in scope see. */
export async function getOrganisation(
  db: Db,
  org: OrganisationRecord,
  actor: Actor | null,
): Promise<OrganisationDetail> {
  if (!canSeeOrgDetails(actor, org))
    return presentOrganisationDetail(org, actor, { members: [], servedHouseholds: [] });
  const [members, servedHouseholds] = [await listMembers(db, org.id), await listServedHouseholds(db, org.id)];
  return presentOrganisationDetail(org, actor, { members, servedHouseholds });
}
