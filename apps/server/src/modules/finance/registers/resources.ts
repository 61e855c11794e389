import type { Resource, ZCreateResource, ZUpdateResource } from '@minqing/contract';
import type { z } from 'zod';
import type { App } from '../../../app.ts';
import type { Db } from '../../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../../db/transaction.ts';
import { errors } from '../../../errors.ts';
import type { Actor } from '../../../policy/index.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from '../finance-journal.ts';
import { checkVersion, loadKeptBook, loadReadableBook } from '../load-book.ts';
import { actingRole, canKeepBooks, canSeePersonalData, KEEP_ROLES } from '../policy.ts';
import type { BookRow } from '../repository.ts';
import { checkResourceGeometry, type ResourceGeometry } from './geometry-check.ts';
import { annualRentOf } from './contracts.ts';
import { presentHolder } from './holder.ts';
import {
  findContract,
  findContracts,
  findResource,
  insertResource,
  listResources,
  lockResource,
  updateResource,
  villageBBox,
  type ContractRow,
  type ResourceRow,
} from './repository.ts';

const RESOURCE = { zh: '资源', en: 'Resource' };

type CreateResource = z.infer<typeof ZCreateResource>;
type UpdateResource = z.infer<typeof ZUpdateResource>;

/** Mu with two decimals ↔ integer hundredths of a mu, without floating-point drift. */
export const toCentimu = (mu: number) => Math.round(mu * 100);
export const fromCentimu = (centimu: number) => Number(centimu) / 100;

function contractSummary(app: App, contract: ContractRow | undefined, isFull: boolean) {
  if (!contract) return null;
  return {
    id: contract.id,
    code: contract.code,
    holderName: presentHolder(app.fieldCipher, contract, isFull).name,
    startDate: contract.start_date,
    endDate: contract.end_date,
    annualRent: annualRentOf(contract),
    state: contract.state as 'active' | 'ended' | 'terminated',
  };
}

/** A resource row as `actor` sees it (the holder masked unless the viewer may see personal data). */
export function presentResource(
  app: App,
  row: ResourceRow,
  contract: ContractRow | undefined,
  options: { isFull: boolean; canEdit: boolean },
): Resource {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as Resource['kind'],
    areaMu: fromCentimu(row.area_centimu),
    geometry: (row.geometry as Resource['geometry']) ?? null,
    certificateNo: row.certificate_no,
    letHow: row.let_how as Resource['letHow'],
    contract: contractSummary(app, contract, options.isFull),
    note: row.note,
    state: row.state as 'active' | 'disposed',
    version: Number(row.version),
    allowedActions: options.canEdit ? ['edit'] : [],
  };
}

/** The resources of a book with their linked contracts. */
export async function resourcesWithContracts(db: Db, bookId: string) {
  const rows = await listResources(db, bookId);
  const contracts = await findContracts(
    db,
    rows.map((row) => row.contract_id).filter((id): id is string => !!id),
  );
  const byId = new Map(contracts.map((contract) => [contract.id, contract]));
  return rows.map((row) => ({ row, contract: row.contract_id ? byId.get(row.contract_id) : undefined }));
}

export async function listBookResources(app: App, actor: Actor, bookId: string) {
  const book = await loadReadableBook(app.db, actor, bookId);
  const isFull = canSeePersonalData(actor, book);
  const canEdit = canKeepBooks(actor, book);
  return {
    items: (await resourcesWithContracts(app.db, book.id)).map(({ row, contract }) =>
      presentResource(app, row, contract, { isFull, canEdit }),
    ),
  };
}

async function checkGeometry(db: Db, book: BookRow, geometry: ResourceGeometry | null | undefined) {
  if (!geometry) return;
  checkResourceGeometry(geometry, await villageBBox(db, book.unit_path));
}

async function checkContractLink(db: Db, bookId: string, contractId: string | null | undefined) {
  if (!contractId) return;
  const contract = await findContract(db, contractId);
  if (!contract || contract.book_id !== bookId) {
    throw errors.unprocessable(
      'contract_unknown',
      { zh: '关联的合同不在本账套中', en: 'The linked contract is not in these books' },
      { field: 'contractId' },
    );
  }
}

async function getResource(app: App, actor: Actor, book: BookRow, id: string): Promise<Resource> {
  const row = await findResource(app.db, id);
  if (!row) throw errors.notFound(RESOURCE);
  const contract = row.contract_id ? await findContract(app.db, row.contract_id) : undefined;
  return presentResource(app, row, contract, {
    isFull: canSeePersonalData(actor, book),
    canEdit: canKeepBooks(actor, book),
  });
}

/** 登记资源: a new entry in the resource register, its outline checked against the village. */
export async function createResource(
  app: App,
  actor: Actor,
  bookId: string,
  input: CreateResource,
): Promise<Resource> {
  const book = await loadKeptBook(app.db, actor, bookId);
  await checkGeometry(app.db, book, input.geometry);
  await checkContractLink(app.db, book.id, input.contractId);
  const id = crypto.randomUUID();
  const now = new Date();
  const row = {
    id,
    book_id: book.id,
    street_id: book.street_id,
    code: input.code,
    name: input.name,
    kind: input.kind,
    area_centimu: toCentimu(input.areaMu),
    geometry: input.geometry ?? null,
    certificate_no: input.certificateNo ?? null,
    let_how: input.letHow,
    contract_id: input.contractId ?? null,
    note: input.note ?? null,
    state: 'active',
    version: 1,
  };
  try {
    await inTransaction(app.db, async (trx) => {
      await insertResource(trx, {
        ...row,
        geometry: row.geometry ? JSON.stringify(row.geometry) : null,
        created_at: now,
        updated_at: now,
      });
      await appendFinanceEntry(trx, {
        recordType: FINANCE_RECORD_TYPES.resource,
        recordId: id,
        streetId: book.street_id,
        action: 'register',
        actorId: actor.userId,
        actorRole: actingRole(actor, KEEP_ROLES, book),
        changes: row,
        at: now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw errors.conflict(
        'code_taken',
        { zh: `资源编号 ${input.code} 已被使用`, en: `Resource code ${input.code} is taken` },
        { field: 'code' },
      );
    }
    throw error;
  }
  return getResource(app, actor, book, id);
}

/** Changes a resource's entry (outline, how it is let, its contract…); the code and kind stay. */
export async function changeResource(
  app: App,
  actor: Actor,
  id: string,
  input: UpdateResource,
): Promise<Resource> {
  const existing = await findResource(app.db, id);
  if (!existing) throw errors.notFound(RESOURCE);
  const book = await loadKeptBook(app.db, actor, existing.book_id);
  await checkGeometry(app.db, book, input.geometry);
  await checkContractLink(app.db, book.id, input.contractId);
  await inTransaction(app.db, async (trx) => {
    const row = await lockResource(trx, id);
    if (!row) throw errors.notFound(RESOURCE);
    checkVersion(Number(row.version), input.expectedVersion);
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.areaMu !== undefined) changes.area_centimu = toCentimu(input.areaMu);
    if (input.geometry !== undefined) changes.geometry = input.geometry;
    if (input.certificateNo !== undefined) changes.certificate_no = input.certificateNo;
    if (input.letHow !== undefined) changes.let_how = input.letHow;
    if (input.contractId !== undefined) changes.contract_id = input.contractId;
    if (input.note !== undefined) changes.note = input.note;
    if (input.state !== undefined) changes.state = input.state;
    changes.version = Number(row.version) + 1;
    const now = new Date();
    await updateResource(trx, id, {
      ...changes,
      ...('geometry' in changes
        ? { geometry: changes.geometry ? JSON.stringify(changes.geometry) : null }
        : {}),
      updated_at: now,
    });
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.resource,
      recordId: id,
      streetId: book.street_id,
      action: 'change',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes,
      at: now,
    });
  });
  return getResource(app, actor, book, id);
}
