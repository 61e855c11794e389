import { canonicalEntry, type Case, type ErrorResponse } from '@minqing/contract';
import type { App } from '../../app.ts';
import { sha256Hex } from '../../crypto/index.ts';
import type { Client, Reply } from '../../../test/harness.ts';
import type { TestCommunity } from '../../../test/factories.ts';
import { CASE_PROJECTED_COLUMNS } from './case-journal.ts';

/** Test helpers for the case module: reports over HTTP and a re-computation of a case's journal chain. */

/** A reply body that is a case on success and an error otherwise; tests look at whichever they expect. */
export type CaseOrError = Case & ErrorResponse;

export interface ReportBody {
  categoryCode?: string;
  description?: string;
  location?: { lng: number; lat: number };
  address?: string;
  priority?: 'normal' | 'urgent';
  contact?: { name?: string; phone: string };
  isPublicAnonymous?: boolean;
  unitId?: string;
  photoIds?: string[];
}

export async function report(
  client: Client,
  community: TestCommunity,
  body: ReportBody = {},
  headers: Record<string, string> = {},
): Promise<Reply<CaseOrError>> {
  return client.post<CaseOrError>(
    '/api/cases',
    {
      categoryCode: '0101',
      description: '小区门口垃圾堆了三天没人清运',
      location: community.pointIn(0),
      address: '幸福小区东门',
      ...body,
    },
    headers,
  );
}

/** POSTs an action and fails loudly with the server's answer when it was not 200. */
export async function act(client: Client, caseId: string, action: string, body: object = {}): Promise<Case> {
  const reply = await client.post<Case>(`/api/cases/${caseId}/${action}`, body);
  if (reply.status !== 200) {
    throw new Error(`${action} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}

export async function countCasesInStreet(app: App, streetId: string): Promise<number> {
  const row = await app.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('street_id', '=', streetId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Re-computes a case's journal chain from the stored entries — every hash, every link to the
 * previous entry — and folds `payload.set` over it. Returns the actions in order and whether the
 * fold reproduces the projected columns of the row.
 */
export async function checkCaseChain(app: App, caseId: string) {
  const entries = await app.db
    .selectFrom('journal_entries')
    .selectAll()
    .where('record_type', '=', 'case')
    .where('record_id', '=', caseId)
    .orderBy('seq')
    .execute();
  const problems: string[] = [];
  let prev: string | null = null;
  const folded: Record<string, unknown> = {};
  entries.forEach((entry, index) => {
    if (entry.seq !== index + 1) problems.push(`seq ${entry.seq} at position ${index + 1}`);
    if (entry.prev_hash !== prev) problems.push(`entry ${entry.seq} does not link to the previous hash`);
    const hash = sha256Hex(
      canonicalEntry({
        streetId: entry.street_id,
        recordType: entry.record_type,
        recordId: entry.record_id,
        seq: entry.seq,
        action: entry.action,
        actorId: entry.actor_id,
        actorRole: entry.actor_role,
        at: entry.at.toISOString(),
        payload: entry.payload,
        prevHash: entry.prev_hash,
      }),
    );
    if (hash !== entry.hash) problems.push(`entry ${entry.seq} hash does not match its content`);
    prev = entry.hash;
    Object.assign(folded, (entry.payload as { set?: object }).set ?? {});
  });
  const row = await app.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
  for (const column of CASE_PROJECTED_COLUMNS) {
    const value: unknown = row[column];
    const expected = value instanceof Date ? value.toISOString() : value;
    // a column no entry has set is null
    if ((column in folded ? folded[column] : null) !== expected) {
      problems.push(
        `${column}: row has ${JSON.stringify(expected)}, journal folds to ${JSON.stringify(folded[column])}`,
      );
    }
  }
  if (row.journal_seq !== entries.length)
    problems.push(`journal_seq ${row.journal_seq} but ${entries.length} entries`);
  return { actions: entries.map((e) => e.action), entries, problems, row };
}

export async function notificationsOf(app: App, userId: string, caseId: string) {
  return app.db
    .selectFrom('notifications')
    .select(['kind', 'title_zh', 'title_en'])
    .where('user_id', '=', userId)
    .where('record_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}
