import {
  NOTIFICATION_TEMPLATES,
  renderTemplate,
  type NotificationTemplateKey,
  type TemplatePlaceholder,
} from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { CHINA_OFFSET_MS } from '../calendar/working-time.ts';
import { overridesAlong } from './repository.ts';

/** What a notice about a case may say about it (the placeholders' values). */
export interface NoticeSubject {
  unit_path: string;
  code: string;
  category_code: string;
  due_at: Date | null;
  address: string | null;
}

/** 'YYYY-MM-DD HH:mm' in China time: a deadline as the people of the community read it. */
export function formatDeadline(at: Date | null): string | null {
  if (!at) return null;
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The texts of a template at a unit: the nearest override along its path, else the default. */
export async function effectiveTemplate(
  db: Db,
  unitPath: string,
  key: NotificationTemplateKey,
): Promise<{ zh: string; en: string }> {
  const [nearest] = await overridesAlong(db, unitPath, [key]);
  const fallback = NOTIFICATION_TEMPLATES[key];
  return nearest ? { zh: nearest.text_zh!, en: nearest.text_en! } : { zh: fallback.zh, en: fallback.en };
}

export function fillTemplate(
  text: { zh: string; en: string },
  values: {
    zh: Partial<Record<TemplatePlaceholder, string | null>>;
    en: Partial<Record<TemplatePlaceholder, string | null>>;
  },
): { zh: string; en: string } {
  return { zh: renderTemplate(text.zh, values.zh), en: renderTemplate(text.en, values.en) };
}

/**
 * The title of a notice about a case, from the template in force where the case is (its community's
 * override, else its street's, else the default), in the caller's transaction.
 */
export async function caseNoticeTitle(
  db: Db,
  row: NoticeSubject,
  key: NotificationTemplateKey,
): Promise<{ kind: string; title: { zh: string; en: string } }> {
  // One after the other: a transaction's connection runs one query at a time anyway.
  const text = await effectiveTemplate(db, row.unit_path, key);
  const category = await db
    .selectFrom('case_categories')
    .select(['name_zh', 'name_en'])
    .where('code', '=', row.category_code)
    .executeTakeFirst();
  const common = { code: row.code, deadline: formatDeadline(row.due_at), address: row.address };
  return {
    kind: NOTIFICATION_TEMPLATES[key].kind,
    title: fillTemplate(text, {
      zh: { ...common, category: category?.name_zh ?? row.category_code },
      en: { ...common, category: category?.name_en ?? row.category_code },
    }),
  };
}
