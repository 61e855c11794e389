import {
  disclosureMonths,
  type CreateDisclosure,
  type Disclosure,
  type DisclosureContent,
  type MajorItem,
} from '@minqing/contract';
import type { Selectable } from 'kysely';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import type { FinanceDisclosuresTable } from '../../db/schema.generated.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import { AppError, errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { buildDisclosureContent, contentHash, summaryOf } from './disclosure-content.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { checkVersion, loadKeptBook, loadReadableBook, requireActiveBook } from './load-book.ts';
import {
  actingRole,
  APPROVE_ROLES,
  canApprove,
  canKeepBooks,
  cannotSee,
  canReadBook,
  canReview,
  KEEP_ROLES,
  REVIEW_ROLES,
} from './policy.ts';
import { findBook, lockBook, lockPeriod, updatePeriod, userNames, type BookWithUnit } from './repository.ts';

/**
 * 财务公开: a month or a quarter, prepared by the bookkeeper (draft, with its major items), reviewed by
 * the 民主理财小组, then sealed by the village committee: its content — the seven categories, the trial
 * balance and every voucher's digest — goes into the journal, and its months are sealed for good.
 */

export type DisclosureRow = Selectable<FinanceDisclosuresTable>;
type DisclosureHeadRow = DisclosureRow & { kind: 'month' | 'quarter' };
const DISCLOSURE = { zh: '财务公开', en: 'Disclosure' };

function disclosureActions(actor: Actor | null, book: BookWithUnit, row: DisclosureRow): string[] {
  const actions: string[] = [];
  if (row.state === 'sealed') return actions;
  if (row.state === 'draft' && canKeepBooks(actor, book)) actions.push('edit');
  if (row.state === 'draft' && canReview(actor, book) && row.prepared_by !== actor?.userId)
    actions.push('review');
  if (canReview(actor, book) || canApprove(actor, book)) actions.push('return');
  if (row.state === 'reviewed' && canApprove(actor, book)) actions.push('seal');
  return actions;
}

async function openQuestions(db: Db, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('finance_questions')
    .select((eb) => ['disclosure_id', eb.fn.countAll<number>().as('count')])
    .where('disclosure_id', 'in', ids)
    .where('state', '=', 'open')
    .groupBy('disclosure_id')
    .execute();
  return new Map(rows.map((row) => [row.disclosure_id, Number(row.count)]));
}

async function present(
  db: Db,
  actor: Actor | null,
  book: BookWithUnit,
  rows: DisclosureRow[],
  withContent: boolean,
): Promise<Disclosure[]> {
  const names = await userNames(
    db,
    rows.flatMap((row) => [row.prepared_by, row.reviewed_by, row.sealed_by]),
  );
  const questions = await openQuestions(
    db,
    rows.map((row) => row.id),
  );
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  const out: Disclosure[] = [];
  for (const row of rows) {
    let content: DisclosureContent | null = null;
    if (withContent) {
      content =
        row.state === 'sealed'
          ? (row.content as unknown as DisclosureContent)
          : await buildDisclosureContent(db, book, row as DisclosureHeadRow);
    }
    out.push({
      id: row.id,
      bookId: row.book_id,
      kind: row.kind as Disclosure['kind'],
      label: row.label,
      firstPeriod: row.first_period,
      lastPeriod: row.last_period,
      state: row.state as Disclosure['state'],
      majorItems: row.major_items as unknown as MajorItem[],
      note: row.note,
      content,
      contentHash: row.content_hash,
      preparedBy: person(row.prepared_by)!,
      reviewedBy: person(row.reviewed_by),
      reviewedAt: row.reviewed_at?.toISOString() ?? null,
      reviewNote: row.review_note,
      sealedBy: person(row.sealed_by),
      sealedAt: row.sealed_at?.toISOString() ?? null,
      openQuestions: questions.get(row.id) ?? 0,
      version: row.version,
      allowedActions: disclosureActions(actor, book, row),
    });
  }
  return out;
}

export async function listDisclosures(app: App, actor: Actor | null, bookId: string) {
  const book = await loadReadableBook(app.db, actor, bookId);
  const rows = await app.db
    .selectFrom('finance_disclosures')
    .selectAll()
    .where('book_id', '=', book.id)
    .orderBy('last_period', 'desc')
    .orderBy('kind')
    .execute();
  const items = await present(app.db, actor, book, rows, false);
  return { items: items.map(({ content: _content, ...rest }) => rest) };
}

async function loadDisclosure(db: Db, actor: Actor | null, id: string) {
  const row = await db.selectFrom('finance_disclosures').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound(DISCLOSURE);
  const book = (await findBook(db, row.book_id))!;
  if (!canReadBook(actor, book)) throw cannotSee(actor, DISCLOSURE);
  return { row, book };
}

/** A disclosure; a draft's content is a preview from the books now, a sealed one's is as sealed. */
export async function getDisclosure(app: App, actor: Actor | null, id: string): Promise<Disclosure> {
  const { row, book } = await loadDisclosure(app.db, actor, id);
  return (await present(app.db, actor, book, [row], true))[0]!;
}

export async function createDisclosure(
  app: App,
  actor: Actor,
  bookId: string,
  input: CreateDisclosure,
): Promise<Disclosure> {
  const book = await loadKeptBook(app.db, actor, bookId);
  requireActiveBook(book);
  const months = disclosureMonths(input.label);
  if (months[0]! < book.start_month) {
    throw errors.unprocessable(
      'date_before_books',
      {
        zh: `${input.label} 早于账套启用期间 ${book.start_month}`,
        en: `${input.label} is before the books start (${book.start_month})`,
      },
      { field: 'label' },
    );
  }
  const id = crypto.randomUUID();
  const now = new Date();
  const row = {
    id,
    book_id: book.id,
    street_id: book.street_id,
    unit_path: book.unit_path,
    kind: input.kind,
    label: input.label,
    first_period: months[0]!,
    last_period: months.at(-1)!,
    state: 'draft',
    major_items: input.majorItems,
    note: input.note ?? null,
    content: null,
    content_hash: null,
    summary: null,
    prepared_by: actor.userId,
    reviewed_by: null,
    reviewed_at: null,
    review_note: null,
    sealed_by: null,
    sealed_at: null,
    version: 1,
  };
  try {
    await inTransaction(app.db, async (trx) => {
      await trx
        .insertInto('finance_disclosures')
        .values({ ...row, major_items: JSON.stringify(row.major_items), prepared_at: now })
        .execute();
      await appendFinanceEntry(trx, {
        recordType: FINANCE_RECORD_TYPES.disclosure,
        recordId: id,
        streetId: book.street_id,
        action: 'prepare',
        actorId: actor.userId,
        actorRole: actingRole(actor, KEEP_ROLES, book),
        changes: row,
        at: now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw errors.conflict(
        'disclosure_exists',
        { zh: `${input.label} 的公开已经存在`, en: `A disclosure of ${input.label} already exists` },
        { field: 'label' },
      );
    }
    throw error;
  }
  return getDisclosure(app, actor, id);
}

export async function updateDisclosure(
  app: App,
  actor: Actor,
  id: string,
  input: { expectedVersion?: number | undefined; majorItems: MajorItem[]; note?: string | null | undefined },
): Promise<Disclosure> {
  await inTransaction(app.db, async (trx) => {
    const row = await trx
      .selectFrom('finance_disclosures')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw errors.notFound(DISCLOSURE);
    const book = (await findBook(trx, row.book_id))!;
    if (!canReadBook(actor, book)) throw cannotSee(actor, DISCLOSURE);
    if (!canKeepBooks(actor, book)) throw errors.forbidden({ need: 'bookkeeper' });
    checkVersion(row.version, input.expectedVersion);
    if (row.state !== 'draft') {
      throw errors.conflict(
        'illegal_transition',
        {
          zh: row.state === 'sealed' ? '已封存的公开不能修改' : '已审核的公开请先退回再修改',
          en:
            row.state === 'sealed'
              ? 'A sealed disclosure never changes'
              : 'Return the reviewed disclosure first',
        },
        { currentState: row.state },
      );
    }
    const changes = {
      major_items: input.majorItems,
      ...(input.note !== undefined ? { note: input.note } : {}),
      version: row.version + 1,
    };
    await trx
      .updateTable('finance_disclosures')
      .set({ ...changes, major_items: JSON.stringify(changes.major_items) })
      .where('id', '=', id)
      .execute();
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.disclosure,
      recordId: id,
      streetId: row.street_id,
      action: 'edit',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes,
    });
  });
  return getDisclosure(app, actor, id);
}

/** review (民主理财小组), return (to draft), seal (村两委: publish, for good). */
export async function actOnDisclosure(
  app: App,
  actor: Actor,
  id: string,
  action: 'review' | 'return' | 'seal',
  body: { expectedVersion?: number | undefined; note?: string | undefined; reason?: string | undefined },
): Promise<Disclosure> {
  await inTransaction(app.db, async (trx) => {
    const row = await trx
      .selectFrom('finance_disclosures')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw errors.notFound(DISCLOSURE);
    const book = (await findBook(trx, row.book_id))!;
    if (!canReadBook(actor, book)) throw cannotSee(actor, DISCLOSURE);
    const may =
      action === 'review'
        ? canReview(actor, book)
        : action === 'seal'
          ? canApprove(actor, book)
          : canReview(actor, book) || canApprove(actor, book);
    if (!may) throw errors.forbidden({ need: action === 'review' ? 'finance_reviewer' : 'community_admin' });
    if (row.state === 'sealed') {
      throw errors.conflict(
        'disclosure_sealed',
        { zh: `${row.label} 的公开已经封存，不能再次封存或修改`, en: `${row.label} is already sealed` },
        { currentState: row.state },
      );
    }
    const from = { review: ['draft'], return: ['draft', 'reviewed'], seal: ['reviewed'] }[action];
    if (!from.includes(row.state)) {
      throw errors.conflict(
        'illegal_transition',
        {
          zh: action === 'seal' ? '须先经民主理财小组审核才能封存公开' : '公开当前状态不允许此操作',
          en:
            action === 'seal'
              ? 'The finance group reviews a disclosure before it is sealed'
              : 'The disclosure’s state does not allow this',
        },
        { currentState: row.state },
      );
    }
    if (action === 'review' && row.prepared_by === actor.userId) {
      throw new AppError(403, 'own_disclosure', {
        zh: '不能审核自己编制的公开',
        en: 'Nobody reviews a disclosure they prepared',
      });
    }
    checkVersion(row.version, body.expectedVersion);
    const now = new Date();
    if (action === 'review' || action === 'return') {
      if (action === 'return' && !body.reason) {
        throw errors.badRequest(
          { zh: '退回时请写明原因', en: 'Say why the disclosure goes back' },
          { field: 'reason' },
        );
      }
      const changes =
        action === 'review'
          ? {
              state: 'reviewed',
              reviewed_by: actor.userId,
              reviewed_at: now,
              review_note: body.note ?? null,
              version: row.version + 1,
            }
          : {
              state: 'draft',
              reviewed_by: null,
              reviewed_at: null,
              review_note: body.reason ?? null,
              version: row.version + 1,
            };
      await trx.updateTable('finance_disclosures').set(changes).where('id', '=', id).execute();
      await appendFinanceEntry(trx, {
        recordType: FINANCE_RECORD_TYPES.disclosure,
        recordId: id,
        streetId: row.street_id,
        action,
        actorId: actor.userId,
        actorRole: actingRole(
          actor,
          action === 'review' ? REVIEW_ROLES : [...REVIEW_ROLES, ...APPROVE_ROLES],
          book,
        ),
        changes,
        at: now,
      });
      return;
    }
    // seal: every month closed (or already sealed by another disclosure), then sealed for good.
    await lockBook(trx, book.id);
    const months = disclosureMonths(row.label);
    for (const month of months) {
      const period = await lockPeriod(trx, book.id, month);
      if (!period || period.state === 'open') {
        throw errors.conflict(
          'period_open',
          { zh: `请先结账 ${month} 再封存公开`, en: `Close ${month} before sealing the disclosure` },
          { period: month },
        );
      }
    }
    const content = await buildDisclosureContent(trx, book, row as DisclosureHeadRow);
    const hash = contentHash(content);
    const summary = summaryOf(content);
    for (const month of months) {
      const period = (await lockPeriod(trx, book.id, month))!;
      await updatePeriod(trx, book.id, month, {
        state: 'sealed',
        disclosure_id: period.disclosure_id ?? id,
      });
    }
    const changes = {
      state: 'sealed',
      content,
      content_hash: hash,
      summary,
      sealed_by: actor.userId,
      sealed_at: now,
      version: row.version + 1,
    };
    await trx
      .updateTable('finance_disclosures')
      .set({ ...changes, content: JSON.stringify(content), summary: JSON.stringify(summary) })
      .where('id', '=', id)
      .execute();
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.disclosure,
      recordId: id,
      streetId: row.street_id,
      action: 'seal',
      actorId: actor.userId,
      actorRole: actingRole(actor, APPROVE_ROLES, book),
      changes,
      at: now,
    });
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.book,
      recordId: book.id,
      streetId: book.street_id,
      action: 'seal_periods',
      actorId: actor.userId,
      actorRole: actingRole(actor, APPROVE_ROLES, book),
      changes: {},
      extra: { periods: months, disclosureId: id, contentHash: hash },
      at: now,
    });
  });
  return getDisclosure(app, actor, id);
}
