import { z } from 'zod';
import { ZId } from './common.ts';

/**
 * 合并重复账号: two resident accounts of one person (two phone numbers, a second sign-up). The
 * duplicate is deactivated — never deleted — and points to the account kept; what it reported moves.
 */
export const ZMergeAccountsPreviewRequest = z.strictObject({
  keepId: ZId.describe('The account that stays'),
  duplicateId: ZId.describe('The account merged into it (deactivated, never deleted)'),
});

export const ZMergeAccountsRequest = ZMergeAccountsPreviewRequest.extend({
  reason: z
    .string()
    .trim()
    .min(2, { message: '请说明合并原因（至少 2 个字） / Give a reason (at least 2 characters)' })
    .max(500, { message: '原因最多 500 个字 / The reason is at most 500 characters' }),
});
export type MergeAccountsRequest = z.infer<typeof ZMergeAccountsRequest>;

const ZMergeSide = z.object({
  id: ZId,
  displayName: z.string(),
  phone: z.string().nullable().describe('Masked'),
  homeUnit: z.string().nullable(),
  createdAt: z.string(),
});

export const ZMergeAccountsPreview = z.object({
  keep: ZMergeSide,
  duplicate: ZMergeSide,
  moves: z.object({
    cases: z.number().int().describe('Cases the duplicate reported: re-attributed to the kept account'),
    ratings: z.number().int().describe('Of those, cases the duplicate rated (the ratings stay on the cases)'),
    notifications: z.number().int().describe("The duplicate's inbox, moved"),
    sessions: z.number().int().describe("The duplicate's open sessions, ended"),
    household: z
      .enum(['none', 'moves', 'same', 'kept'])
      .describe(
        "none: the duplicate has no household; moves: the kept account takes it; same: both had it; kept: they differ and the kept account's stays",
      ),
  }),
  notes: z.array(z.object({ zh: z.string(), en: z.string() })),
});
export type MergeAccountsPreview = z.infer<typeof ZMergeAccountsPreview>;

export const ZMergeAccountsResult = ZMergeAccountsPreview.extend({ mergedAt: z.string() });
export type MergeAccountsResult = z.infer<typeof ZMergeAccountsResult>;
