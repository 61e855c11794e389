import type { Db } from '../../db/database.ts';
import { appendEntry, readChainHead } from '../journal/append-entry.ts';
import { ruleJournalSet, RULE_PROJECTED_COLUMNS } from './present.ts';
import type { RoutingRuleRow } from './repository.ts';

/** The journal's record type of a routing rule. */
export const RULE_RECORD_TYPE = 'routing_rule';

type Column = (typeof RULE_PROJECTED_COLUMNS)[number];

/**
 * Appends a rule event to the rule's chain, in the caller's transaction (which holds the rule's row
 * lock). `payload.set` holds the columns the event changed; the first entry of a chain holds every
 * column, so a rule created before it was journaled (shipped with the demo, or by SQL) still folds
 * into its row.
 */
export async function journalRuleEvent(
  trx: Db,
  event: {
    row: RoutingRuleRow;
    streetId: string;
    action: 'create' | 'update' | 'activate' | 'deactivate';
    actorId: string;
    actorRole: string;
    changed: readonly Column[];
  },
): Promise<void> {
  const head = await readChainHead(trx, RULE_RECORD_TYPE, event.row.id);
  const columns = head.seq === 0 ? RULE_PROJECTED_COLUMNS : event.changed;
  await appendEntry(
    trx,
    {
      streetId: event.streetId,
      recordType: RULE_RECORD_TYPE,
      recordId: event.row.id,
      action: event.action,
      actorId: event.actorId,
      actorRole: event.actorRole,
      payload: { set: ruleJournalSet(event.row, columns) },
      at: event.row.updated_at,
    },
    head,
  );
}
