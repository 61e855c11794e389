import { ZCreateCase, type Case, type CaseSource, type CreateCase } from '@minqing/contract';
import canonicalize from 'canonicalize';
import type { App } from '../../app.ts';
import { sha256Hex } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { maskPhone, normalizePhone } from '../../privacy/mask.ts';
import { localDayStart, localDayString } from '../calendar/working-time.ts';
import { insertEntries, NEW_RECORD, prepareEntry } from '../journal/append-entry.ts';
import { CASE_RECORD_TYPE, journalSetOfNewCase } from './case-journal.ts';
import { CategoryStore } from './category-store.ts';
import {
  attachCasePhotos,
  placeOfPoint,
  placeOfUnit,
  routeCase,
  workingCalendar,
  type CasePlace,
} from './collaborators.ts';
import { stageDeadline } from './deadlines.ts';
import { GroupCommitter, type Outcome } from './group-commit.ts';
import { authorizeReport, reportingRole, reportSource } from './policy.ts';
import { presentCase } from './present.ts';
import {
  claimIdempotencyKeys,
  homeUnitOf,
  insertCases,
  nextCaseNumbers,
  readIdempotencyAnswers,
  type CaseRow,
} from './repository.ts';

export interface CreateCaseOptions {
  /** When the report was made; defaults to now (the demo seeder passes past instants). */
  at?: Date;
  /** The client's Idempotency-Key: a repeat with the same body returns the first answer. */
  idempotencyKey?: string;
  /** Other capabilities that raise cases for staff (diary, council, Open311) name their source. */
  source?: CaseSource;
}

export interface CreateCaseResult {
  /** 201 for a new case, 200 for a repeat of an earlier request with the same Idempotency-Key */
  status: 200 | 201;
  case: Case;
}

/** The prefix of this module's rows in idempotency_keys (the table is shared by capabilities). */
export const INTAKE_KEY_PREFIX = 'cases:';

interface PreparedReport {
  row: Omit<CaseRow, 'code'>;
  photoIds: string[];
  actorId: string | null;
  actorRole: string;
  idempotency: { actorKey: string; key: string; requestHash: string } | undefined;
  present: (row: CaseRow) => Case;
}

const committers = new WeakMap<Db, GroupCommitter<PreparedReport, CreateCaseResult>>();

function committerFor(app: App): GroupCommitter<PreparedReport, CreateCaseResult> {
  let committer = committers.get(app.db);
  if (!committer) {
    committer = new GroupCommitter((items) => writeReports(app.db, items), {
      maxBatch: 64,
      maxInFlight: app.database.kind === 'pglite' ? 1 : 4,
      keyOf: (item) =>
        item.idempotency ? `${item.idempotency.actorKey}\n${item.idempotency.key}` : undefined,
    });
    committers.set(app.db, committer);
  }
  return committer;
}

/**
 * Records a report (上报) from a resident, a grid worker on patrol, staff taking a hotline call, or
 * the public when public reports are allowed. The location resolves the grid — a point outside every
 * grid still becomes a case, in its community's queue — routing names the responsible organisation,
 * and the category's time limits on the working calendar set the deadlines. The case, its first
 * journal entry and its idempotency key commit together, grouped with concurrent reports.
 */
export async function createCase(
  app: App,
  actor: Actor | null,
  input: CreateCase,
  options: CreateCaseOptions = {},
): Promise<CreateCaseResult> {
  const body = ZCreateCase.parse(input);
  const at = options.at ?? new Date();

  authorizeReport(actor, {
    publicReports: app.config.publicReports,
    hasContact: body.contact !== undefined,
    source: options.source,
  });

  const [categories, calendar] = await Promise.all([CategoryStore.of(app.db).all(), workingCalendar(app)]);
  const category = categories.get(body.categoryCode);
  if (!category?.isActive) {
    throw errors.unprocessable(
      'unknown_category',
      { zh: `没有这个事件分类：${body.categoryCode}`, en: `No such case category: ${body.categoryCode}` },
      { categoryCode: body.categoryCode },
    );
  }

  const place = await placeOfReport(app, actor, body);
  const route = await routeCase(app.db, { categoryCode: category.code, unitPath: place.unitPath });
  const deadline = stageDeadline(calendar, category.timeLimits, 'accept', body.priority, at);
  const source =
    options.source ?? reportSource(actor, body.contact !== undefined, place.gridId ? place.unitPath : null);
  const phone = body.contact ? normalizePhone(body.contact.phone) : null;

  const row: Omit<CaseRow, 'code'> = {
    id: crypto.randomUUID(),
    street_id: place.streetId,
    community_id: place.communityId,
    grid_id: place.gridId,
    unit_path: place.unitPath,
    category_code: category.code,
    priority: body.priority,
    source,
    state: 'reported',
    description: body.description,
    address: body.address ?? null,
    lng: body.location?.lng ?? null,
    lat: body.location?.lat ?? null,
    reporter_id: actor?.userId ?? null,
    reporter_name: body.contact?.name ?? actor?.displayName ?? null,
    reporter_phone_enc: phone ? app.fieldCipher.encrypt(phone) : null,
    reporter_phone_masked: phone ? maskPhone(phone) : null,
    is_public_anonymous: body.isPublicAnonymous,
    org_id: route?.orgId ?? null,
    assignee_id: null,
    reported_at: at,
    accepted_at: null,
    dispatched_at: null,
    started_at: null,
    handled_at: null,
    handled_by: null,
    verified_at: null,
    closed_at: null,
    accept_due_at: deadline.dueAt,
    due_at: deadline.dueAt,
    handle_due_at: null,
    next_check_at: deadline.nextCheckAt,
    reminded_at: null,
    escalation_level: 0,
    escalated_to_unit_id: null,
    was_overdue: false,
    rework_count: 0,
    rating: null,
    merged_into_id: null,
    result_summary: null,
    reject_reason: null,
    journal_seq: 1,
    version: 1,
    updated_at: at,
  };

  const actorKey = `${INTAKE_KEY_PREFIX}${actor ? `user:${actor.userId}` : `public:${app.fieldCipher.blindIndex(phone!)}`}`;
  const now = new Date();
  const names = { grid_name: place.gridName, org_name: route?.orgName ?? null, assignee_name: null };
  return committerFor(app).submit({
    row,
    photoIds: body.photoIds ?? [],
    actorId: actor?.userId ?? null,
    actorRole: reportingRole(actor, source, place.unitPath),
    idempotency: options.idempotencyKey
      ? { actorKey, key: options.idempotencyKey, requestHash: sha256Hex(canonicalize(body) ?? '') }
      : undefined,
    present: (full) => presentCase({ ...full, ...names }, { actor, calendar, categories, now }),
  });
}

/** Where the report is: its map point, else the unit staff chose, else the resident's own household. */
async function placeOfReport(
  app: App,
  actor: Actor | null,
  body: { location?: { lng: number; lat: number } | undefined; unitId?: string | undefined },
): Promise<CasePlace> {
  if (body.location) {
    const place = await placeOfPoint(app, body.location);
    if (!place) {
      throw errors.unprocessable(
        'outside_service_area',
        {
          zh: '该位置不在本平台服务的任何街道（乡镇）范围内',
          en: 'This location is outside every street or township this platform serves',
        },
        { location: body.location },
      );
    }
    return place;
  }
  const unitId = body.unitId ?? (actor ? await homeUnitOf(app.db, actor.userId) : undefined);
  const place = unitId ? await placeOfUnit(app, unitId) : null;
  if (!place) {
    throw errors.unprocessable(
      body.unitId ? 'unknown_unit' : 'location_required',
      {
        zh: body.unitId ? '所选区域不存在或不在服务范围内' : '请在地图上选择问题所在的位置',
        en: body.unitId
          ? 'The chosen area does not exist or is not served'
          : 'Pick the place of the problem on the map',
      },
      body.unitId ? { unitId: body.unitId } : {},
    );
  }
  return place;
}

/** A human-readable case number: the reporting day in China and a sequence, e.g. 20260315-000042. */
export function caseCode(reportedAt: Date, sequence: number): string {
  const day = localDayString(localDayStart(reportedAt.getTime())).replaceAll('-', '');
  return `${day}-${String(sequence).padStart(6, '0')}`;
}

const keyId = (k: { actorKey: string; key: string }) => `${k.actorKey}\n${k.key}`;

/** Writes a batch of reports in one transaction: a few statements, whatever the batch size. */
async function writeReports(db: Db, items: PreparedReport[]): Promise<Outcome<CreateCaseResult>[]> {
  return inTransaction(db, async (trx) => {
    const numbers = await nextCaseNumbers(trx, items.length);
    const built = items.map((item, index) => {
      const row: CaseRow = { ...item.row, code: caseCode(item.row.reported_at, numbers[index]!) };
      return { item, row, body: item.present(row) };
    });
    const withKeys = built.filter((b) => b.item.idempotency);
    const claimed = await claimIdempotencyKeys(
      trx,
      withKeys.map((b) => ({ ...b.item.idempotency!, response: b.body })),
    );
    const repeats = withKeys.filter((b) => !claimed.has(keyId(b.item.idempotency!)));
    const earlier = await readIdempotencyAnswers(
      trx,
      repeats.map((b) => b.item.idempotency!),
    );
    const fresh = built.filter((b) => !b.item.idempotency || claimed.has(keyId(b.item.idempotency)));

    await insertCases(
      trx,
      fresh.map((b) => b.row),
    );
    const entries = [];
    for (const b of fresh) {
      const photos = await attachCasePhotos(trx, {
        caseId: b.row.id,
        uploadIds: b.item.photoIds,
        stage: 'report',
        actorId: b.item.actorId,
      });
      entries.push(
        prepareEntry(
          {
            streetId: b.row.street_id,
            recordType: CASE_RECORD_TYPE,
            recordId: b.row.id,
            action: 'report',
            actorId: b.item.actorId,
            actorRole: b.item.actorRole,
            at: b.row.reported_at,
            payload: { set: journalSetOfNewCase(b.row), ...(photos.length > 0 ? { photos } : {}) },
          },
          NEW_RECORD,
        ),
      );
    }
    await insertEntries(trx, entries);

    return built.map((b): Outcome<CreateCaseResult> => {
      if (!b.item.idempotency || claimed.has(keyId(b.item.idempotency))) {
        return { ok: true, value: { status: 201, case: b.body } };
      }
      const first = earlier.get(keyId(b.item.idempotency));
      if (first && first.requestHash === b.item.idempotency.requestHash) {
        return { ok: true, value: { status: 200, case: first.response as Case } };
      }
      return {
        ok: false,
        error: errors.unprocessable('idempotency_key_reused', {
          zh: '该 Idempotency-Key 已用于另一份内容不同的上报',
          en: 'This Idempotency-Key was already used for a different request',
        }),
      };
    });
  });
}
