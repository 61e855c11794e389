import type { Book, CreateBook } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { findUnit } from '../areas/repository.ts';
import { standardChart } from './chart.ts';
import { appendFinanceEntry, appendNewRecordEntries, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { actingRole, APPROVE_ROLES, canCreateBook, cannotSee, KEEP_ROLES } from './policy.ts';
import { presentBook } from './present.ts';
import { findBook, findBookByUnit, insertAccounts, insertBook, listAccounts } from './repository.ts';

const BOOK_UNIT_KINDS = new Set(['community', 'compound']);

/**
 * Opens a set of books for a village (or a group within it) on the standard chart of accounts. The
 * book and each account start their journal chains here. Opening balances follow (entered or imported),
 * then the book is started.
 */
export async function createBook(app: App, actor: Actor | null, input: CreateBook): Promise<Book> {
  const unit = await findUnit(app.db, input.unitId);
  if (!unit) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
  if (!canCreateBook(actor, unit.path)) throw cannotSee(actor, { zh: '区域单元', en: 'Unit' });
  if (!BOOK_UNIT_KINDS.has(unit.kind) || !unit.streetId) {
    throw errors.unprocessable(
      'book_unit_kind',
      {
        zh: '账套只能建在村（社区）或村民小组（自然村）上',
        en: 'Books are kept for a village (community) or a group within it (compound)',
      },
      { field: 'unitId', kind: unit.kind },
    );
  }
  if (await findBookByUnit(app.db, unit.id)) {
    throw errors.conflict('book_exists', {
      zh: `${unit.name}已有账套`,
      en: `${unit.name} already has a set of books`,
    });
  }
  const chart = standardChart();
  const id = crypto.randomUUID();
  const streetId = unit.streetId;
  const role = actingRole(actor, [...KEEP_ROLES, ...APPROVE_ROLES], { unit_path: unit.path });
  const now = new Date();
  try {
    await inTransaction(app.db, async (trx) => {
      const book = {
        id,
        street_id: streetId,
        unit_id: unit.id,
        unit_path: unit.path,
        name: input.name,
        org_code: input.orgCode ?? null,
        start_month: input.startMonth,
        state: 'setup',
        opening_balances: {},
        chart: chart.id,
        created_by: actor!.userId,
        created_at: now,
        started_at: null,
        version: 1,
      };
      await insertBook(trx, { ...book, opening_balances: '{}' });
      await appendFinanceEntry(trx, {
        recordType: FINANCE_RECORD_TYPES.book,
        recordId: id,
        streetId,
        action: 'open',
        actorId: actor!.userId,
        actorRole: role,
        changes: book,
        at: now,
      });
      const accounts = chart.accounts.map((account) => ({
        id: crypto.randomUUID(),
        book_id: id,
        street_id: streetId,
        code: account.code,
        name: account.name,
        category: account.category,
        direction: account.direction,
        parent_code: account.parent ?? null,
        is_standard: true,
        state: 'active',
        version: 1,
      }));
      await insertAccounts(trx, accounts);
      await appendNewRecordEntries(
        trx,
        accounts.map((account) => ({
          recordType: FINANCE_RECORD_TYPES.account,
          recordId: account.id,
          streetId,
          action: 'add',
          actorId: actor!.userId,
          actorRole: role,
          changes: account,
          at: now,
        })),
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw errors.conflict('book_exists', {
        zh: `${unit.name}已有账套`,
        en: `${unit.name} already has a set of books`,
      });
    }
    throw error;
  }
  const created = (await findBook(app.db, id))!;
  return presentBook(actor, created, await listAccounts(app.db, id));
}
