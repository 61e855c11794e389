import { z } from 'zod';
import { ZId } from './common.ts';

/**
 * 通知模板: the texts of the notifications minqing sends about a case, with placeholders filled from
 * the case. Defaults ship here (Chinese first); a street or community overrides them, a child unit
 * inherits its nearest ancestor's override. The same parser runs in the console (as the admin types)
 * and on the server (which decides).
 */
export const NOTIFICATION_TEMPLATE_KEYS = [
  'reporter.accepted',
  'reporter.rejected',
  'reporter.handled',
  'reporter.closed',
  'reporter.rework',
  'reporter.merged',
  'handler.dispatched',
  'staff.returned',
  'staff.verify_due',
  'staff.rework_failed_check',
  'staff.rework_unsatisfied',
  'staff.reminder',
  'staff.escalated',
] as const;
export type NotificationTemplateKey = (typeof NOTIFICATION_TEMPLATE_KEYS)[number];

export interface TemplateDefinition {
  /** The notification's kind in the inbox (GET /api/me/notifications). */
  kind: string;
  audience: 'reporter' | 'staff';
  label: { zh: string; en: string };
  zh: string;
  en: string;
}

export const NOTIFICATION_TEMPLATES: Record<NotificationTemplateKey, TemplateDefinition> = {
  'reporter.accepted': {
    kind: 'case.accepted',
    audience: 'reporter',
    label: { zh: '告知上报人：已受理', en: 'To the reporter: accepted' },
    zh: '您上报的事件 {案件编号} 已受理',
    en: 'Your report {code} was accepted',
  },
  'reporter.rejected': {
    kind: 'case.rejected',
    audience: 'reporter',
    label: { zh: '告知上报人：不予受理', en: 'To the reporter: not accepted' },
    zh: '您上报的事件 {案件编号} 不予受理',
    en: 'Your report {code} was not accepted',
  },
  'reporter.handled': {
    kind: 'case.handled',
    audience: 'reporter',
    label: { zh: '告知上报人：已处置', en: 'To the reporter: handled' },
    zh: '您上报的事件 {案件编号} 已处置完毕',
    en: 'Your report {code} has been handled',
  },
  'reporter.closed': {
    kind: 'case.closed',
    audience: 'reporter',
    label: { zh: '告知上报人：已办结', en: 'To the reporter: closed' },
    zh: '您上报的事件 {案件编号} 已办结',
    en: 'Your report {code} is closed',
  },
  'reporter.rework': {
    kind: 'case.rework',
    audience: 'reporter',
    label: { zh: '告知上报人：重新派遣', en: 'To the reporter: sent back for rework' },
    zh: '您上报的事件 {案件编号} 已重新派遣处置',
    en: 'Your report {code} was sent back for rework',
  },
  'reporter.merged': {
    kind: 'case.merged',
    audience: 'reporter',
    label: { zh: '告知上报人：重复合并', en: 'To the reporter: merged as a duplicate' },
    zh: '您上报的事件 {案件编号} 与已有事件重复，已合并处理',
    en: 'Your report {code} duplicates an existing case and was merged into it',
  },
  'handler.dispatched': {
    kind: 'case.dispatched',
    audience: 'staff',
    label: { zh: '告知处置人员：新派遣', en: 'To the handler: dispatched' },
    zh: '新派遣事件 {案件编号}，请按时处置',
    en: 'New case {code} dispatched to you',
  },
  'staff.returned': {
    kind: 'case.returned',
    audience: 'staff',
    label: { zh: '告知派遣人：被退回', en: 'To the dispatcher: returned' },
    zh: '事件 {案件编号} 被退回，请重新派遣',
    en: 'Case {code} was returned; dispatch it again',
  },
  'staff.verify_due': {
    kind: 'case.verify_due',
    audience: 'staff',
    label: { zh: '告知网格员：待核查', en: 'To the grid worker: check due' },
    zh: '事件 {案件编号} 已处置，请现场核查',
    en: 'Case {code} was handled; check it on site',
  },
  'staff.rework_failed_check': {
    kind: 'case.rework',
    audience: 'staff',
    label: { zh: '告知处置人员：核查未通过', en: 'To the handler: failed its check' },
    zh: '事件 {案件编号} 核查未通过，请返工',
    en: 'Case {code} failed its check; please rework it',
  },
  'staff.rework_unsatisfied': {
    kind: 'case.rework',
    audience: 'staff',
    label: { zh: '告知处置人员：回访不满意', en: 'To the handler: rated unsatisfied' },
    zh: '事件 {案件编号} 回访不满意，请返工',
    en: 'Case {code} was rated unsatisfied; please rework it',
  },
  'staff.reminder': {
    kind: 'case.reminder',
    audience: 'staff',
    label: { zh: '临期催办', en: 'Reminder before the deadline' },
    zh: '催办：事件 {案件编号} 即将到期，请尽快办理',
    en: 'Reminder: case {code} is nearly due',
  },
  'staff.escalated': {
    kind: 'case.escalated',
    audience: 'staff',
    label: { zh: '超期督办', en: 'Escalated when overdue' },
    zh: '督办：事件 {案件编号} 已超期，请督促办理',
    en: 'Escalated: case {code} is overdue and needs your attention',
  },
};

/** The values a template may use; each has a Chinese and an English name, both accepted in either text. */
export const TEMPLATE_PLACEHOLDERS = [
  { name: 'code', zh: '案件编号', label: { zh: '事件编号', en: 'case code' } },
  { name: 'category', zh: '类别', label: { zh: '事件类别', en: 'category' } },
  { name: 'deadline', zh: '时限', label: { zh: '当前环节的截止时间', en: "the current stage's deadline" } },
  { name: 'address', zh: '地址', label: { zh: '事件地址', en: 'address of the problem' } },
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number]['name'];

export const TEMPLATE_MAX_LENGTH = { zh: 200, en: 400 } as const;

export type TemplateProblem =
  | { code: 'unknown_placeholder'; placeholder: string }
  | { code: 'unbalanced_brace' }
  | { code: 'empty' }
  | { code: 'too_long'; max: number };

const PLACEHOLDER = /\{([^{}]*)\}/g;

function placeholderByName(name: string): TemplatePlaceholder | undefined {
  const trimmed = name.trim();
  return TEMPLATE_PLACEHOLDERS.find((p) => p.name === trimmed || p.zh === trimmed)?.name;
}

/** What is wrong with a template text (empty when nothing). */
export function templateProblems(text: string, language: 'zh' | 'en'): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (text.trim() === '') problems.push({ code: 'empty' });
  if (text.length > TEMPLATE_MAX_LENGTH[language])
    problems.push({ code: 'too_long', max: TEMPLATE_MAX_LENGTH[language] });
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (!placeholderByName(match[1]!)) problems.push({ code: 'unknown_placeholder', placeholder: match[0] });
  }
  if (/[{}]/.test(text.replace(PLACEHOLDER, ''))) problems.push({ code: 'unbalanced_brace' });
  return problems;
}

const AVAILABLE = {
  zh: TEMPLATE_PLACEHOLDERS.map((p) => `{${p.zh}}`).join('、'),
  en: TEMPLATE_PLACEHOLDERS.map((p) => `{${p.name}}`).join(', '),
};

/** A problem in words, Chinese and English (the server's error and the console's field message). */
export function describeTemplateProblem(
  problem: TemplateProblem,
  language: 'zh' | 'en',
): { zh: string; en: string } {
  const which =
    language === 'zh'
      ? { zh: '中文模板', en: 'The Chinese text' }
      : { zh: '英文模板', en: 'The English text' };
  switch (problem.code) {
    case 'unknown_placeholder':
      return {
        zh: `${which.zh}含未知占位符 ${problem.placeholder}；可用的占位符：${AVAILABLE.zh}（或 ${AVAILABLE.en}）`,
        en: `${which.en} has an unknown placeholder ${problem.placeholder}; available: ${AVAILABLE.en} (or ${AVAILABLE.zh})`,
      };
    case 'unbalanced_brace':
      return {
        zh: `${which.zh}的花括号不成对；占位符写作 {案件编号}`,
        en: `${which.en} has an unmatched brace; placeholders look like {code}`,
      };
    case 'empty':
      return { zh: `${which.zh}不能为空`, en: `${which.en} must not be empty` };
    case 'too_long':
      return {
        zh: `${which.zh}最多 ${problem.max} 个字符`,
        en: `${which.en} is at most ${problem.max} characters`,
      };
  }
}

/** Fills a template's placeholders; a value that is not known (no deadline yet) shows as "—". */
export function renderTemplate(
  text: string,
  values: Partial<Record<TemplatePlaceholder, string | null>>,
): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const key = placeholderByName(name);
    if (!key) return whole;
    return values[key] ?? '—';
  });
}

export const ZNotificationTemplateKey = z.enum(NOTIFICATION_TEMPLATE_KEYS);

const templateText = (language: 'zh' | 'en') =>
  z.string().superRefine((text, ctx) => {
    for (const problem of templateProblems(text, language)) {
      const message = describeTemplateProblem(problem, language);
      ctx.addIssue({ code: 'custom', message: `${message.zh} / ${message.en}`, params: problem });
    }
  });

export const ZNotificationTemplatesQuery = z.strictObject({
  unitId: ZId.describe('A street or community (社区/村)'),
});

export const ZNotificationTemplateParams = z.strictObject({
  unitId: ZId,
  key: ZNotificationTemplateKey,
});

export const ZSetNotificationTemplate = z.strictObject({
  textZh: templateText('zh').describe('The Chinese text, with placeholders such as {案件编号}'),
  textEn: templateText('en').describe('The English text, with placeholders such as {code}'),
  expectedVersion: z
    .number()
    .int()
    .nonnegative()
    .describe('The version shown (0 when this unit has never overridden the template)'),
});
export type SetNotificationTemplate = z.infer<typeof ZSetNotificationTemplate>;

export const ZResetNotificationTemplate = z.strictObject({
  expectedVersion: z.number().int().positive(),
});

export const ZPreviewNotificationTemplate = z.strictObject({
  unitId: ZId,
  key: ZNotificationTemplateKey,
  textZh: templateText('zh'),
  textEn: templateText('en'),
});

export const ZNotificationTemplate = z.object({
  key: ZNotificationTemplateKey,
  kind: z.string(),
  audience: z.enum(['reporter', 'staff']),
  label: z.object({ zh: z.string(), en: z.string() }),
  textZh: z.string(),
  textEn: z.string(),
  defaultZh: z.string(),
  defaultEn: z.string(),
  source: z
    .enum(['default', 'inherited', 'own'])
    .describe('Where the text comes from: the shipped default, an ancestor unit, or this unit'),
  sourceUnit: z.object({ id: ZId, name: z.string() }).nullable(),
  version: z.number().int().describe("This unit's override version (0: none yet)"),
  updatedAt: z.string().nullable(),
  allowedActions: z.array(z.string()),
});
export type NotificationTemplate = z.infer<typeof ZNotificationTemplate>;

export const ZNotificationTemplates = z.object({
  unit: z.object({ id: ZId, name: z.string(), kind: z.string() }),
  placeholders: z.array(
    z.object({ name: z.string(), zh: z.string(), label: z.object({ zh: z.string(), en: z.string() }) }),
  ),
  items: z.array(ZNotificationTemplate),
});
export type NotificationTemplates = z.infer<typeof ZNotificationTemplates>;

export const ZNotificationPreview = z.object({
  zh: z.string(),
  en: z.string(),
  sample: z.object({ code: z.string(), category: z.string(), deadline: z.string(), address: z.string() }),
});
export type NotificationPreview = z.infer<typeof ZNotificationPreview>;
