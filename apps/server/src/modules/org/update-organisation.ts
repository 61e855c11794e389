import type { UpdateOrganisation } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import { duplicateOrgCode, type ActingAs } from './create-organisation.ts';
import { journalOrgChange, type ORG_PROJECTED_COLUMNS } from './org-journal.ts';
import {
  findOrganisation,
  findOrganisationByCode,
  lockOrganisation,
  updateOrganisationRow,
  type OrganisationChanges,
  type OrganisationRecord,
} from './repository.ts';

/** Renames an organisation, changes its code or attributes, if the caller saw its current version. */
export async function updateOrganisation(
  db: Db,
  id: string,
  input: UpdateOrganisation,
  acting: ActingAs,
): Promise<OrganisationRecord> {
  return inTransaction(db, async (trx) => {
    const org = await lockOrganisation(trx, id);
    if (!org) throw errors.notFound({ zh: '组织', en: 'Organisation' });
    if (org.version !== input.expectedVersion) throw errors.staleVersion(org.version);
    const changes: OrganisationChanges = {};
    const changed: (typeof ORG_PROJECTED_COLUMNS)[number][] = [];
    if (input.name !== undefined && input.name !== org.name) {
      changes.name = input.name;
      changed.push('name');
    }
    if (input.code !== undefined && input.code !== org.code) {
      if (input.code && (await findOrganisationByCode(trx, input.code))) throw duplicateOrgCode(input.code);
      changes.code = input.code;
      changed.push('code');
    }
    if (input.attrs !== undefined && JSON.stringify(input.attrs) !== JSON.stringify(org.attrs)) {
      changes.attrs = input.attrs;
      changed.push('attrs');
    }
    if (changed.length === 0) return org;
    const at = new Date();
    try {
      await updateOrganisationRow(trx, id, changes, at);
    } catch (error) {
      if (isUniqueViolation(error) && changes.code) throw duplicateOrgCode(changes.code);
      throw error;
    }
    const updated = (await findOrganisation(trx, id))!;
    await journalOrgChange(trx, {
      action: 'update',
      org: updated,
      changed: [...changed, 'version'],
      ...acting,
      at,
    });
    return updated;
  });
}
