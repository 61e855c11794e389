import type { JournalBrowsePage, JournalBrowseQuery } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { mayAuditJournal } from './policy.ts';
import { browseJournalEntries } from './repository.ts';

/**
 * A street's journal entries, newest first, optionally of one record type or one record: what the
 * journal browser lists. Entries carry hashes and links, not payloads; a record's full journal with
 * payloads and proofs comes from GET /api/journal/records/:type/:id, under that record's own rules.
 */
export async function browseJournal(
  app: App,
  actor: Actor,
  query: JournalBrowseQuery,
): Promise<JournalBrowsePage> {
  const street = await app.areas.getUnit(query.streetId);
  if (!street || street.kind !== 'street') throw errors.notFound({ zh: '街道/乡镇', en: 'Street' });
  if (!mayAuditJournal(actor, street.path)) throw errors.forbidden();
  const rows = await browseJournalEntries(app.db, { ...query, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      recordType: row.record_type,
      recordId: row.record_id,
      seq: row.seq,
      action: row.action,
      actorRole: row.actor_role,
      at: row.at.toISOString(),
      prevHash: row.prev_hash,
      hash: row.hash,
      batchId: row.batch_id,
    })),
    nextBefore: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
