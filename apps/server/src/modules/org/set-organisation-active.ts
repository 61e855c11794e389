import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { ActingAs } from './create-organisation.ts';
import { journalOrgChange } from './org-journal.ts';
import {
  countActiveChildOrganisations,
  findOrganisation,
  lockOrganisation,
  updateOrganisationRow,
  type OrganisationRecord,
} from './repository.ts';

/**
 * Deactivates an organisation (never deletes: cases and the journal name it) or brings it back.
 * Active organisations below it must be deactivated first; one comes back only under an active parent.
 */
export async function setOrganisationActive(
  db: Db,
  id: string,
  input: { expectedVersion: number; isActive: boolean },
  acting: ActingAs,
): Promise<OrganisationRecord> {
  return inTransaction(db, async (trx) => {
    const org = await lockOrganisation(trx, id);
    if (!org) throw errors.notFound({ zh: '组织', en: 'Organisation' });
    if (org.version !== input.expectedVersion) throw errors.staleVersion(org.version);
    if (org.isActive === input.isActive) return org;
    if (!input.isActive) {
      const activeChildren = await countActiveChildOrganisations(trx, id);
      if (activeChildren > 0) {
        throw errors.unprocessable(
          'organisation_has_active_children',
          {
            zh: `其下还有 ${activeChildren} 个启用的组织，请先停用它们`,
            en: `${activeChildren} active organisations lie below it; deactivate them first`,
          },
          { activeChildren },
        );
      }
    } else {
      const parent = org.parentId ? await findOrganisation(trx, org.parentId) : undefined;
      if ((parent && !parent.isActive) || !org.unit.isActive) {
        throw errors.unprocessable('parent_inactive', {
          zh: '上级组织或所在区域单元已停用',
          en: 'The parent organisation or the unit is deactivated',
        });
      }
    }
    const at = new Date();
    await updateOrganisationRow(trx, id, { isActive: input.isActive }, at);
    const updated = (await findOrganisation(trx, id))!;
    await journalOrgChange(trx, {
      action: input.isActive ? 'activate' : 'deactivate',
      org: updated,
      changed: ['is_active', 'version'],
      ...acting,
      at,
    });
    return updated;
  });
}
