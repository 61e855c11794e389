import type { NotificationPreview } from '@minqing/contract';
import type { NotificationTemplateKey } from '@minqing/contract';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { authorizeTemplates } from './policy.ts';
import { fillTemplate, formatDeadline } from './render-notice.ts';
import { findUnit } from './repository.ts';

/**
 * The texts as a person would receive them, filled from a sample case: the unit's most recent case
 * with a deadline (else any of its cases, else a made-up one). Only the code, category, deadline and
 * address are shown — what the placeholders may put in a notice anyway.
 */
export async function previewNotificationTemplate(
  db: Db,
  actor: Actor | null,
  input: { unitId: string; key: NotificationTemplateKey; textZh: string; textEn: string },
): Promise<NotificationPreview> {
  const unit = await findUnit(db, input.unitId);
  authorizeTemplates(actor, unit, 'read');
  const sample = await db
    .selectFrom('cases as c')
    .innerJoin('case_categories as k', 'k.code', 'c.category_code')
    .select(['c.code', 'c.address', 'c.due_at', 'k.name_zh', 'k.name_en'])
    .where('c.unit_path', 'like', `${unit.path}%`)
    .orderBy(sql`c.due_at IS NULL`)
    .orderBy('c.reported_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const values = sample
    ? {
        code: sample.code,
        deadline: formatDeadline(sample.due_at) ?? '—',
        address: sample.address ?? '—',
        zh: sample.name_zh,
        en: sample.name_en,
      }
    : {
        code: '20260101-000001',
        deadline: '2026-01-02 17:30',
        address: `${unit.name}文化广场东侧`,
        zh: '暴露垃圾',
        en: 'Exposed rubbish',
      };
  const common = { code: values.code, deadline: values.deadline, address: values.address };
  const filled = fillTemplate(
    { zh: input.textZh, en: input.textEn },
    { zh: { ...common, category: values.zh }, en: { ...common, category: values.en } },
  );
  return { ...filled, sample: { ...common, category: values.zh } };
}
