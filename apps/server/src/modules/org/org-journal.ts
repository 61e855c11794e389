/**
 * Organisation changes in the journal (record type 'organisation'): teams are the responsible units
 * of public cases, so who they are and since when is part of the record. `payload.set` holds the
 * changed columns of `organisations` (docs/architecture.md).
 */
import type { Db } from '../../db/database.ts';
import { appendEntry, readChainHead } from '../journal/append-entry.ts';
import type { OrganisationRecord } from './repository.ts';

export const ORG_RECORD_TYPE = 'organisation';

export const ORG_PROJECTED_COLUMNS = [
  'parent_id',
  'unit_id',
  'street_id',
  'kind',
  'name',
  'code',
  'path',
  'attrs',
  'is_active',
  'version',
] as const;
type ProjectedColumn = (typeof ORG_PROJECTED_COLUMNS)[number];

export function orgProjection(org: OrganisationRecord): Record<ProjectedColumn, unknown> {
  return {
    parent_id: org.parentId,
    unit_id: org.unit.id,
    street_id: org.streetId,
    kind: org.kind,
    name: org.name,
    code: org.code,
    path: org.path,
    attrs: org.attrs,
    is_active: org.isActive,
    version: org.version,
  };
}

export async function journalOrgChange(
  trx: Db,
  event: {
    action: 'create' | 'update' | 'deactivate' | 'activate';
    org: OrganisationRecord;
    changed: readonly ProjectedColumn[];
    actorId: string | null;
    actorRole: string | null;
    at: Date;
  },
): Promise<void> {
  if (!event.org.streetId) return;
  const head = await readChainHead(trx, ORG_RECORD_TYPE, event.org.id);
  const projection = orgProjection(event.org);
  // A chain that starts late (an organisation seeded outside the journal) starts with the whole row.
  const columns = head.seq === 0 ? ORG_PROJECTED_COLUMNS : event.changed;
  await appendEntry(
    trx,
    {
      streetId: event.org.streetId,
      recordType: ORG_RECORD_TYPE,
      recordId: event.org.id,
      action: event.action,
      actorId: event.actorId,
      actorRole: event.actorRole,
      at: event.at,
      payload: { set: Object.fromEntries(columns.map((column) => [column, projection[column]])) },
    },
    head,
  );
}
