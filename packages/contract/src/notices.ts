import { z } from 'zod';
import { ZAllowedActions, ZId, ZInstant, ZLocalizedText } from './common.ts';

/**
 * 社区公告 (community notices, docs/decisions/0950). A notice belongs to a street, a community/village
 * or a grid and is public: anyone may read the published notices of a unit and of the units above it
 * (a villager sees the street's and the village's). Staff write drafts, publish, edit and withdraw.
 */
export const NOTICE_TITLE_MAX = 60;
export const NOTICE_BODY_MAX = 5000;

export const NOTICE_CATEGORIES = ['notice', 'activity', 'guide', 'urgent'] as const;
export const ZNoticeCategory = z.enum(NOTICE_CATEGORIES, {
  error: '类别应为 通知、活动、办事指南 或 紧急 / category is notice, activity, guide or urgent',
});
export type NoticeCategory = z.infer<typeof ZNoticeCategory>;

/** What each category is called on the pages. */
export const NOTICE_CATEGORY_NAMES: Record<NoticeCategory, { zh: string; en: string }> = {
  notice: { zh: '通知', en: 'Notice' },
  activity: { zh: '活动', en: 'Activity' },
  guide: { zh: '办事指南', en: 'Guide' },
  urgent: { zh: '紧急', en: 'Urgent' },
};

export const NOTICE_STATES = ['draft', 'published', 'withdrawn'] as const;
export const ZNoticeState = z.enum(NOTICE_STATES);
export type NoticeState = z.infer<typeof ZNoticeState>;

export const NOTICE_STATE_NAMES: Record<NoticeState, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '已发布', en: 'Published' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** Trimmed text with a length limit; the message names the field in both languages. */
const text = (field: { zh: string; en: string }, max: number) =>
  z
    .string({ error: `请填写${field.zh} / ${field.en} is required` })
    .trim()
    .min(1, { error: `${field.zh}不能为空 / ${field.en} must not be empty` })
    .max(max, { error: `${field.zh}最多 ${max} 个字 / ${field.en} is at most ${max} characters` });

export const ZNoticeTitle = text({ zh: '标题', en: 'the title' }, NOTICE_TITLE_MAX).describe(
  'The title, at most 60 characters',
);
export const ZNoticeBody = text({ zh: '正文', en: 'the text' }, NOTICE_BODY_MAX).describe(
  'Plain text; line breaks are kept. At most 5,000 characters',
);

const ZExpiresAt = z.iso
  .datetime({ offset: true, error: '截止时间格式不对 / expiry is an ISO date-time' })
  .nullable()
  .describe('After this instant the notice leaves the public lists (null: it stays)');

const ZExpectedVersion = z
  .number({ error: '缺少版本号 / expectedVersion is required' })
  .int()
  .positive()
  .describe('The version shown; a stale one is refused with 409');

export const ZCreateNotice = z.strictObject({
  unitId: ZId.describe('The street, community/village or grid the notice is for'),
  title: ZNoticeTitle,
  body: ZNoticeBody,
  category: ZNoticeCategory,
  isPinned: z.boolean().default(false).describe('置顶: shown above the others'),
  expiresAt: ZExpiresAt.optional(),
});
export type CreateNotice = z.infer<typeof ZCreateNotice>;

export const ZUpdateNotice = z.strictObject({
  title: ZNoticeTitle.optional(),
  body: ZNoticeBody.optional(),
  category: ZNoticeCategory.optional(),
  isPinned: z.boolean().optional(),
  expiresAt: ZExpiresAt.optional(),
  expectedVersion: ZExpectedVersion,
});
export type UpdateNotice = z.infer<typeof ZUpdateNotice>;

export const ZPublishNotice = z.strictObject({ expectedVersion: ZExpectedVersion });
export type PublishNotice = z.infer<typeof ZPublishNotice>;

export const ZWithdrawNotice = z.strictObject({
  expectedVersion: ZExpectedVersion,
  reason: z
    .string()
    .trim()
    .max(200, { error: '撤回原因最多 200 字 / the reason is at most 200 characters' })
    .optional()
    .describe('Why it was withdrawn (kept in the journal)'),
});
export type WithdrawNotice = z.infer<typeof ZWithdrawNotice>;

export const ZNoticeParams = z.strictObject({ id: ZId });

export const ZPublicNoticesQuery = z.strictObject({
  unitId: ZId.describe(
    'A street, community/village or grid: the published notices of it and of every unit above it',
  ),
});

export const ZNoticesQuery = z.strictObject({
  unitId: ZId.optional().describe('Notices of this unit and below (default: everything the caller manages)'),
  state: ZNoticeState.optional(),
});

const ZNoticeUnit = z.object({ id: ZId, name: z.string(), kind: z.string() });

/** A published notice as the public reads it: no author's name, only the unit that speaks. */
export const ZPublicNotice = z.object({
  id: ZId,
  unit: ZNoticeUnit,
  title: z.string(),
  body: z.string(),
  category: ZNoticeCategory,
  categoryName: ZLocalizedText,
  isPinned: z.boolean(),
  publishedAt: ZInstant,
  expiresAt: ZInstant.nullable(),
  isExpired: z.boolean(),
});
export type PublicNotice = z.infer<typeof ZPublicNotice>;

export const ZPublicNoticeList = z.object({
  unit: ZNoticeUnit.describe('The unit asked for'),
  items: z.array(ZPublicNotice).describe('Pinned first, then urgent, then newest; expired ones left out'),
});
export type PublicNoticeList = z.infer<typeof ZPublicNoticeList>;

/** A notice as staff see it, drafts and withdrawn ones too. */
export const ZNotice = z.object({
  id: ZId,
  unit: ZNoticeUnit,
  title: z.string(),
  body: z.string(),
  category: ZNoticeCategory,
  categoryName: ZLocalizedText,
  isPinned: z.boolean(),
  state: ZNoticeState,
  stateName: ZLocalizedText,
  publishedAt: ZInstant.nullable(),
  expiresAt: ZInstant.nullable(),
  isExpired: z.boolean(),
  withdrawnAt: ZInstant.nullable(),
  withdrawReason: z.string().nullable(),
  author: z.object({ id: ZId, name: z.string() }),
  version: z.number().int(),
  createdAt: ZInstant,
  updatedAt: ZInstant,
  allowedActions: ZAllowedActions,
});
export type Notice = z.infer<typeof ZNotice>;

export const ZNoticeList = z.object({
  items: z.array(ZNotice),
  /** The units the caller may write notices for (the console's unit picker). */
  units: z.array(ZNoticeUnit.extend({ path: z.string() })),
});
export type NoticeList = z.infer<typeof ZNoticeList>;
