import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { deleteMember } from './repository.ts';

/** Takes a person out of an organisation; 404 when they were not a member. */
export async function removeOrganisationMember(db: Db, orgId: string, userId: string): Promise<void> {
  if (!(await deleteMember(db, orgId, userId))) throw errors.notFound({ zh: '组织成员', en: 'Member' });
}
