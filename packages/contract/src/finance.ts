import canonicalize from 'canonicalize';
import { z } from 'zod';
import { ZAllowedActions, ZId, ZInstant, ZLocalizedText, ZPoint } from './common.ts';

/**
 * Collective finances open to every villager (三资/财务公开; DESIGN.md, issue 6). One set of books per
 * collective economic organisation on the chart of 农村集体经济组织会计制度 (财会〔2023〕14号);
 * vouchers approved (审批) and reviewed by the 民主理财小组 before posting (入账); registers of funds,
 * assets, resources and contracts; reports; disclosures in seven categories sealed into the journal.
 *
 * Every amount is an integer number of fen (分): never a floating-point yuan.
 */

/** The most any single amount may be: 900 billion yuan, far inside 2^53. */
export const MAX_FEN = 90_000_000_000_000;

export const ZFen = z
  .number({ error: '金额须为数字（单位：分）/ an amount must be a number (in fen)' })
  .int({ error: '金额须为整数分，不能有小数 / amounts are whole fen, no fractions' })
  .min(0, { error: '金额不能为负数 / an amount cannot be negative' })
  .max(MAX_FEN, { error: '金额过大 / the amount is too large' })
  .describe('Amount in fen (1 yuan = 100 fen), a whole non-negative number');

/** A signed amount in fen (balances, differences). */
export const ZSignedFen = z.number().int().describe('Signed amount in fen');

export const ZBookPeriod = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '会计期间格式应为 YYYY-MM / a period is YYYY-MM' })
  .describe('Accounting month, YYYY-MM');
export type BookPeriod = z.infer<typeof ZBookPeriod>;

export const ZDate = z.iso
  .date({ error: '日期格式应为 YYYY-MM-DD / a date is YYYY-MM-DD' })
  .describe('Calendar date in China, YYYY-MM-DD');

export const ZAccountCode = z
  .string()
  .regex(/^\d{3}(\d{2}){0,3}$/, {
    error: '科目编码应为 3 位一级科目加每级 2 位 / an account code is 3 digits plus 2 per level',
  })
  .describe('Account code: 3-digit first-level account (the standard), 2 more digits per sub-level');

const ZText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${what}不能为空 / must not be empty` })
    .max(max, { error: `${what}不能超过 ${max} 个字 / at most ${max} characters` });

const expectedVersion = z
  .number()
  .int()
  .positive()
  .optional()
  .describe('The version the caller saw; a different current version answers 409 stale_version');

export const ZAccountCategory = z
  .enum(['asset', 'liability', 'equity', 'cost', 'profit_loss'])
  .describe('资产类 / 负债类 / 所有者权益类 / 成本类 / 损益类');
export type AccountCategory = z.infer<typeof ZAccountCategory>;
export const ZDirection = z.enum(['debit', 'credit']).describe('Normal balance side: 借 debit / 贷 credit');
export type Direction = z.infer<typeof ZDirection>;

const ZPerson = z.object({ id: ZId, name: z.string() }).describe('A staff member');

// ---------------------------------------------------------------------------------------------
// Books and opening balances

export const ZBookParams = z.strictObject({ bookId: ZId });

export const ZCreateBook = z.strictObject({
  unitId: ZId.describe('The village (community unit) or the group within it (compound unit: 村民小组)'),
  name: ZText(60, '账套名称').describe('e.g. 新山村股份经济合作社'),
  orgCode: z
    .string()
    .trim()
    .max(30)
    .nullable()
    .optional()
    .describe('登记证号 / 统一社会信用代码 of the organisation'),
  startMonth: ZBookPeriod.describe('The first accounting month (启用期间)'),
});
export type CreateBook = z.infer<typeof ZCreateBook>;

export const ZOpeningBalanceInput = z.strictObject({
  accountCode: ZAccountCode,
  debit: ZFen.default(0),
  credit: ZFen.default(0),
});

export const ZSetOpeningBalances = z.strictObject({
  expectedVersion,
  balances: z
    .array(ZOpeningBalanceInput)
    .max(2000)
    .describe('One row per leaf account with a balance; rows left out are zero'),
});
export type SetOpeningBalances = z.infer<typeof ZSetOpeningBalances>;

export const ZOpeningBalance = z.object({
  accountCode: z.string(),
  accountName: z.string(),
  debit: ZFen,
  credit: ZFen,
});
export type OpeningBalance = z.infer<typeof ZOpeningBalance>;

export const ZBookState = z
  .enum(['setup', 'active'])
  .describe('setup: opening balances still editable; active: 已启用');

export const ZBook = z
  .object({
    id: ZId,
    unitId: ZId,
    unitName: z.string(),
    unitCode: z.string(),
    streetId: ZId,
    name: z.string(),
    orgCode: z.string().nullable(),
    startMonth: ZBookPeriod,
    state: ZBookState,
    chart: z.string().describe('The chart of accounts the book was opened on'),
    openingBalances: z.array(ZOpeningBalance),
    openingTotals: z.object({ debit: ZFen, credit: ZFen }),
    isOpeningBalanced: z.boolean(),
    createdAt: ZInstant,
    startedAt: ZInstant.nullable(),
    version: z.number().int(),
    allowedActions: ZAllowedActions.describe(
      'set-opening, import-opening, start, keep (vouchers, registers), approve, review, publish',
    ),
  })
  .describe('A set of books (账套)');
export type Book = z.infer<typeof ZBook>;

export const ZBookList = z.object({ items: z.array(ZBook) });

export const ZOpeningImportQuery = z.strictObject({
  commit: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('false (default): only preview; true: apply, when no row is refused and the rows balance'),
});

export const ZImportIssue = z.object({
  row: z.number().int().describe('Spreadsheet row (1 = the header row)'),
  column: z.string().nullable().describe('The column header, e.g. 借方余额'),
  code: z.string(),
  message: ZLocalizedText,
});
export type ImportIssue = z.infer<typeof ZImportIssue>;

export const ZOpeningImportReport = z
  .object({
    isCommitted: z.boolean(),
    rows: z.array(
      z.object({
        row: z.number().int(),
        accountCode: z.string(),
        accountName: z.string(),
        debit: ZFen,
        credit: ZFen,
        createsAccount: z.boolean().describe('A sub-account the chart lacks; importing adds it'),
      }),
    ),
    refused: z.array(ZImportIssue).describe('Each refused row with the column and the reason'),
    totals: z.object({ debit: ZFen, credit: ZFen }),
    isBalanced: z.boolean(),
    book: ZBook.nullable().describe('The book after the import (when committed)'),
  })
  .describe('What an opening-balance spreadsheet holds, and what would be (or was) imported');
export type OpeningImportReport = z.infer<typeof ZOpeningImportReport>;

export const ZBalancesExportQuery = z.strictObject({
  period: ZBookPeriod.optional().describe(
    'Closing balances at the end of this month (to open the next books with); default: the opening balances',
  ),
});

// ---------------------------------------------------------------------------------------------
// Chart of accounts

export const ZAccountParams = z.strictObject({ bookId: ZId, code: ZAccountCode });

export const ZAccount = z
  .object({
    code: z.string(),
    name: z.string(),
    category: ZAccountCategory,
    direction: ZDirection,
    parentCode: z.string().nullable(),
    level: z.number().int().describe('1 for the standard first-level accounts'),
    isStandard: z.boolean().describe('From the standard chart (not the village’s own)'),
    isLeaf: z.boolean().describe('Only leaf accounts take postings'),
    state: z.enum(['active', 'inactive', 'removed']),
    isUsed: z.boolean().describe('Used by a voucher or an opening balance: never removed'),
    allowedActions: ZAllowedActions,
  })
  .describe('An account (会计科目)');
export type Account = z.infer<typeof ZAccount>;

export const ZAccountList = z.object({ items: z.array(ZAccount) });

export const ZCreateAccount = z.strictObject({
  parentCode: ZAccountCode.describe('The account it refines'),
  code: ZAccountCode.describe('Parent code + 2 digits'),
  name: ZText(40, '科目名称'),
});

export const ZUpdateAccount = z.strictObject({
  name: ZText(40, '科目名称').optional().describe('Only while the account is unused'),
  state: z.enum(['active', 'inactive']).optional().describe('inactive: refuses new postings'),
});

// ---------------------------------------------------------------------------------------------
// Attachments

export const ZAttachmentParams = z.strictObject({ id: ZId });
export const ZAttachmentFileParams = z.strictObject({
  id: ZId,
  variant: z
    .enum(['file', 'thumb'])
    .describe('file: the photo (without metadata) or the PDF; thumb: photos only'),
});

export const ZAttachment = z
  .object({
    id: ZId,
    kind: z.enum(['image', 'pdf']),
    name: z.string(),
    sha256: z.string().describe('SHA-256 of the stored bytes the public sees (hex)'),
    mime: z.string(),
    bytes: z.number().int(),
    urls: z.object({ file: z.string(), thumb: z.string().nullable() }),
    createdAt: ZInstant,
  })
  .describe('A receipt photo or a contract document');
export type Attachment = z.infer<typeof ZAttachment>;

// ---------------------------------------------------------------------------------------------
// Vouchers

export const ZVoucherState = z
  .enum(['draft', 'submitted', 'approved', 'reviewed', 'posted', 'discarded'])
  .describe('制单 → 提交 → 审批 → 民主理财小组审核 → 入账; discarded drafts stay on record');
export type VoucherState = z.infer<typeof ZVoucherState>;

export const ZVoucherKind = z
  .enum(['normal', 'reversal', 'depreciation', 'closing'])
  .describe(
    'normal; reversal (冲销, corrects a posted voucher); depreciation (计提折旧); closing (年终结转)',
  );
export type VoucherKind = z.infer<typeof ZVoucherKind>;

export const ZVoucherLineInput = z
  .strictObject({
    accountCode: ZAccountCode,
    summary: ZText(100, '摘要'),
    debit: ZFen.default(0),
    credit: ZFen.default(0),
  })
  .refine((line) => line.debit > 0 !== line.credit > 0, {
    error: '每行须且只能填借方或贷方金额 / each line has either a debit or a credit amount, not both',
    path: ['debit'],
  });
export type VoucherLineInput = z.infer<typeof ZVoucherLineInput>;

export const ZVoucherAttachmentRef = z.strictObject({
  attachmentId: ZId,
  isPublic: z
    .boolean()
    .optional()
    .describe(
      'Shown to villagers with the disclosure; default: true for a receipt photo, false for a PDF. ' +
        'false for a file with personal data (attach a masked copy and mark that one public)',
    ),
});

export const ZVoucherInput = z.strictObject({
  date: ZDate.describe('The voucher date; its month is the period'),
  summary: ZText(100, '凭证摘要'),
  handlerName: z
    .string()
    .trim()
    .max(30)
    .nullable()
    .optional()
    .describe('经手人: who handled the money (masked for the public)'),
  lines: z
    .array(ZVoucherLineInput)
    .min(2, { error: '凭证至少有两行分录 / a voucher has at least two lines' })
    .max(200),
  attachments: z.array(ZVoucherAttachmentRef).max(30).default([]),
});
export type VoucherInput = z.infer<typeof ZVoucherInput>;

export const ZUpdateVoucher = ZVoucherInput.extend({ expectedVersion });

export const ZVoucherParams = z.strictObject({ id: ZId });

export const VOUCHER_ACTIONS = [
  'submit',
  'withdraw',
  'approve',
  'review',
  'return',
  'post',
  'discard',
  'reverse',
] as const;
export const ZVoucherAction = z.enum(VOUCHER_ACTIONS);
export type VoucherAction = z.infer<typeof ZVoucherAction>;
export const ZVoucherActionParams = z.strictObject({ id: ZId, action: ZVoucherAction });

/** The body of each voucher action (one schema; fields an action does not use are refused by it). */
export const ZVoucherActionBody = z.strictObject({
  expectedVersion,
  note: z.string().trim().max(200).optional().describe('review: the group’s remark'),
  reason: z
    .string()
    .trim()
    .min(2, { error: '请填写原因 / give a reason' })
    .max(200)
    .optional()
    .describe('return: why it goes back to the bookkeeper; reverse: why the voucher is corrected'),
  date: ZDate.optional().describe('reverse: the date of the reversing voucher (an open, later period)'),
});
export type VoucherActionBody = z.infer<typeof ZVoucherActionBody>;

export const ZVoucherLine = z.object({
  lineNo: z.number().int(),
  accountCode: z.string(),
  accountName: z.string(),
  summary: z.string(),
  debit: ZFen,
  credit: ZFen,
});
export type VoucherLine = z.infer<typeof ZVoucherLine>;

export const ZVoucherAttachment = ZAttachment.extend({ isPublic: z.boolean() });

export const ZVoucher = z
  .object({
    id: ZId,
    bookId: ZId,
    period: ZBookPeriod,
    number: z.number().int().nullable().describe('记字第 n 号, given at posting (gapless per period)'),
    label: z.string().describe('e.g. 记-2025-03-007, or 草稿 before posting'),
    date: ZDate,
    kind: ZVoucherKind,
    summary: z.string(),
    lines: z.array(ZVoucherLine),
    total: ZFen.describe('Debits = credits = total'),
    handlerName: z.string().nullable(),
    attachments: z.array(ZVoucherAttachment),
    state: ZVoucherState,
    preparedBy: ZPerson,
    approvedBy: ZPerson.nullable(),
    approvedAt: ZInstant.nullable(),
    reviewedBy: ZPerson.nullable(),
    reviewedAt: ZInstant.nullable(),
    reviewNote: z.string().nullable(),
    postedBy: ZPerson.nullable(),
    postedAt: ZInstant.nullable(),
    returnReason: z.string().nullable(),
    reversesId: ZId.nullable(),
    reversedById: ZId.nullable(),
    periodState: z.enum(['open', 'closed', 'sealed']),
    createdAt: ZInstant,
    version: z.number().int(),
    allowedActions: ZAllowedActions.describe(
      'edit, submit, withdraw, approve, review, return, post, discard, reverse',
    ),
  })
  .describe('A voucher (记账凭证)');
export type Voucher = z.infer<typeof ZVoucher>;

export const ZVoucherListQuery = z.strictObject({
  period: ZBookPeriod.optional(),
  state: ZVoucherState.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const ZVoucherPage = z.object({ items: z.array(ZVoucher), nextCursor: z.string().nullable() });

// ---------------------------------------------------------------------------------------------
// Periods

export const ZPeriodParams = z.strictObject({ bookId: ZId, period: ZBookPeriod });

export const ZPeriodInfo = z.object({
  period: ZBookPeriod,
  state: z
    .enum(['open', 'closed', 'sealed'])
    .describe('open; closed (结账, reopenable); sealed (公开封存, final)'),
  postedCount: z.number().int(),
  pendingCount: z.number().int().describe('Vouchers dated in the period, not yet posted nor discarded'),
  debit: ZFen,
  credit: ZFen,
  closedAt: ZInstant.nullable(),
  disclosureId: ZId.nullable(),
  allowedActions: ZAllowedActions.describe('close, reopen'),
});
export type PeriodInfo = z.infer<typeof ZPeriodInfo>;
export const ZPeriodList = z.object({ items: z.array(ZPeriodInfo) });

// ---------------------------------------------------------------------------------------------
// Disclosures and their sealed content

export const ZDisclosureKind = z
  .enum(['month', 'quarter'])
  .describe('Monthly (月度) or quarterly (季度) disclosure');

export const ZMajorItem = z.strictObject({
  title: ZText(60, '事项名称'),
  description: ZText(1000, '事项说明'),
  amount: ZFen.nullable().default(null),
  decidedOn: ZDate.nullable()
    .default(null)
    .describe('When the villagers’ assembly or representatives decided'),
});
export type MajorItem = z.infer<typeof ZMajorItem>;

export const ZCreateDisclosure = z
  .strictObject({
    kind: ZDisclosureKind,
    label: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, {
        error: '期间应为 YYYY-MM（月）或 YYYY-Qn（季）/ a month is YYYY-MM, a quarter YYYY-Qn',
      })
      .describe('2025-03 for a month, 2025-Q1 for a quarter'),
    majorItems: z.array(ZMajorItem).max(50).default([]),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .refine((input) => (input.kind === 'quarter') === input.label.includes('Q'), {
    error: '月度公开用 YYYY-MM，季度公开用 YYYY-Qn / a month is YYYY-MM, a quarter YYYY-Qn',
    path: ['label'],
  });
export type CreateDisclosure = z.infer<typeof ZCreateDisclosure>;

export const ZUpdateDisclosure = z.strictObject({
  expectedVersion,
  majorItems: z.array(ZMajorItem).max(50),
  note: z.string().trim().max(1000).nullable().optional(),
});

export const DISCLOSURE_ACTIONS = ['review', 'return', 'seal'] as const;
export const ZDisclosureActionParams = z.strictObject({ id: ZId, action: z.enum(DISCLOSURE_ACTIONS) });
export const ZDisclosureActionBody = z.strictObject({
  expectedVersion,
  note: z.string().trim().max(500).optional().describe('review: the group’s opinion'),
  reason: z.string().trim().min(2).max(200).optional().describe('return: what must change'),
});
export const ZDisclosureParams = z.strictObject({ id: ZId });

const ZAmountLine = z.object({ code: z.string(), name: z.string(), amount: ZSignedFen });
export type AmountLine = z.infer<typeof ZAmountLine>;

export const ZTrialBalanceRow = z.object({
  code: z.string(),
  name: z.string(),
  openingDebit: ZFen,
  openingCredit: ZFen,
  debit: ZFen,
  credit: ZFen,
  closingDebit: ZFen,
  closingCredit: ZFen,
});
export type TrialBalanceRow = z.infer<typeof ZTrialBalanceRow>;

/** One sealed voucher: its public digest (see publicVoucherDigestText). */
export const ZSealedVoucher = z.object({
  id: ZId,
  period: ZBookPeriod,
  number: z.number().int(),
  digest: z.string(),
});

/**
 * The disclosure as sealed (财务公开 in seven categories). It is stored in the seal's journal entry
 * (payload.set.content), so its hash is covered by the signed batch; a browser recomputes the voucher
 * digests and the trial-balance movements from the public vouchers and compares.
 */
export const ZDisclosureContent = z.object({
  format: z.literal(1),
  book: z.object({ id: ZId, name: z.string(), unitName: z.string(), unitCode: z.string() }),
  disclosure: z.object({
    id: ZId,
    kind: ZDisclosureKind,
    label: z.string(),
    firstPeriod: ZBookPeriod,
    lastPeriod: ZBookPeriod,
  }),
  previous: z
    .object({ id: ZId, label: z.string(), contentHash: z.string() })
    .nullable()
    .describe('The book’s previous sealed disclosure: the seals form a chain per book'),
  income: z.object({ items: z.array(ZAmountLine), total: ZSignedFen }).describe('收入: by account'),
  expenditure: z.object({ items: z.array(ZAmountLine), total: ZSignedFen }).describe('支出: by account'),
  assets: z
    .object({
      funds: z.array(ZAmountLine).describe('Cash and bank balances at the end'),
      fundsTotal: ZSignedFen,
      balanceSheet: z.array(z.object({ key: z.string(), label: z.string(), amount: ZSignedFen })),
      register: z.object({
        count: z.number().int(),
        operatingCount: z.number().int(),
        originalValue: ZSignedFen,
        accumulatedDepreciation: ZSignedFen,
        netValue: ZSignedFen,
      }),
    })
    .describe('资产'),
  resources: z
    .object({
      count: z.number().int(),
      letCount: z.number().int(),
      areaCentimu: z.number().int(),
      byKind: z.array(z.object({ kind: z.string(), count: z.number().int(), areaCentimu: z.number().int() })),
      contracts: z.number().int(),
      rentDue: ZSignedFen.describe('Rent due in the disclosed months'),
      rentReceived: ZSignedFen.describe('Of which received'),
      overdueInstalments: z.number().int(),
      overdueAmount: ZSignedFen,
    })
    .describe('资源'),
  debts: z
    .object({
      claims: z.array(ZAmountLine),
      claimsTotal: ZSignedFen,
      debts: z.array(ZAmountLine),
      debtsTotal: ZSignedFen,
    })
    .describe('债权债务: balances at the end'),
  distribution: z
    .object({
      netProfitYtd: ZSignedFen.describe('净收益 of the year up to the end'),
      items: z.array(ZAmountLine).describe('各项分配 in the disclosed months'),
      total: ZSignedFen,
      undistributed: ZSignedFen.describe('未分配收益 at the end (balance sheet)'),
    })
    .describe('收益分配'),
  majorItems: z.array(
    z.object({
      title: z.string(),
      description: z.string(),
      amount: ZFen.nullable(),
      decidedOn: ZDate.nullable(),
    }),
  ),
  trialBalance: z.array(ZTrialBalanceRow).describe('Every leaf account with a figure, in code order'),
  totals: z.object({ voucherCount: z.number().int(), debit: ZFen, credit: ZFen }),
  vouchers: z
    .array(ZSealedVoucher)
    .describe('Every voucher of the disclosed months, in period and number order'),
});
export type DisclosureContent = z.infer<typeof ZDisclosureContent>;

export const ZDisclosureSummary = z.object({
  income: ZSignedFen,
  expenditure: ZSignedFen,
  fundsTotal: ZSignedFen,
  voucherCount: z.number().int(),
});
export type DisclosureSummary = z.infer<typeof ZDisclosureSummary>;

export const ZDisclosure = z
  .object({
    id: ZId,
    bookId: ZId,
    kind: ZDisclosureKind,
    label: z.string(),
    firstPeriod: ZBookPeriod,
    lastPeriod: ZBookPeriod,
    state: z.enum(['draft', 'reviewed', 'sealed']),
    majorItems: z.array(ZMajorItem),
    note: z.string().nullable(),
    content: ZDisclosureContent.nullable().describe(
      'Sealed: as sealed; otherwise a preview from the books now',
    ),
    contentHash: z.string().nullable().describe('SHA-256 of the canonical sealed content'),
    preparedBy: ZPerson,
    reviewedBy: ZPerson.nullable(),
    reviewedAt: ZInstant.nullable(),
    reviewNote: z.string().nullable(),
    sealedBy: ZPerson.nullable(),
    sealedAt: ZInstant.nullable(),
    openQuestions: z.number().int(),
    version: z.number().int(),
    allowedActions: ZAllowedActions.describe('edit, review, return, seal'),
  })
  .describe('A disclosure (财务公开)');
export type Disclosure = z.infer<typeof ZDisclosure>;
export const ZDisclosureList = z.object({
  items: z.array(ZDisclosure.omit({ content: true })),
});

// ---------------------------------------------------------------------------------------------
// Villagers' questions (意见)

export const ZAskQuestion = z.strictObject({
  text: z
    .string()
    .trim()
    .min(4, { error: '请把问题写清楚（至少 4 个字）/ please write the question (4 characters or more)' })
    .max(500),
  name: z.string().trim().max(20).nullable().optional().describe('How to sign it (masked when shown)'),
  voucherId: ZId.nullable().optional().describe('The voucher the question is about'),
});

export const ZAnswerQuestion = z.strictObject({
  answer: z.string().trim().min(2, { error: '请填写答复 / write the answer' }).max(1000),
});
export const ZQuestionParams = z.strictObject({ id: ZId });

export const ZQuestion = z
  .object({
    id: ZId,
    disclosureId: ZId,
    disclosureLabel: z.string(),
    voucherId: ZId.nullable(),
    voucherLabel: z.string().nullable(),
    askerName: z.string().describe('Masked for everyone but the village’s finance staff'),
    text: z.string(),
    askedAt: ZInstant,
    state: z.enum(['open', 'answered']),
    answer: z.string().nullable(),
    answeredAt: ZInstant.nullable(),
    allowedActions: ZAllowedActions.describe('answer'),
  })
  .describe('A villager’s question on a disclosure, and the answer, both public');
export type Question = z.infer<typeof ZQuestion>;
export const ZQuestionList = z.object({ items: z.array(ZQuestion) });
export const ZQuestionListQuery = z.strictObject({ state: z.enum(['open', 'answered']).optional() });

// ---------------------------------------------------------------------------------------------
// Registers: funds, assets, resources, contracts

export const ZRegisterParams = z.strictObject({ id: ZId });

export const ZCreateFund = z.strictObject({
  kind: z.enum(['cash', 'bank']),
  name: ZText(40, '账户名称'),
  bankName: z.string().trim().max(60).nullable().optional(),
  accountNo: z
    .string()
    .trim()
    .regex(/^[0-9 -]{4,40}$/, { error: '银行账号只能是数字 / a bank account number is digits' })
    .nullable()
    .optional(),
  accountCode: ZAccountCode.describe('The ledger account of this cash box or bank account (e.g. 10201)'),
});
export const ZUpdateFund = z.strictObject({
  expectedVersion,
  name: ZText(40, '账户名称').optional(),
  statementBalance: ZSignedFen.nullable().optional().describe('The bank statement’s balance (对账单余额)'),
  statementDate: ZDate.nullable().optional(),
  isActive: z.boolean().optional(),
});
export const ZFund = z
  .object({
    id: ZId,
    kind: z.enum(['cash', 'bank']),
    name: z.string(),
    bankName: z.string().nullable(),
    accountNo: z.string().nullable(),
    accountCode: z.string(),
    accountName: z.string(),
    ledgerBalance: ZSignedFen.describe('Balance in the books (posted vouchers), at statementDate when given'),
    statementBalance: ZSignedFen.nullable(),
    statementDate: ZDate.nullable(),
    difference: ZSignedFen.nullable().describe('statement − books; 0 when reconciled'),
    isReconciled: z.boolean().nullable(),
    isActive: z.boolean(),
    version: z.number().int(),
    allowedActions: ZAllowedActions,
  })
  .describe('A cash or bank account (资金)');
export type Fund = z.infer<typeof ZFund>;
export const ZFundList = z.object({ items: z.array(ZFund), ledgerTotal: ZSignedFen });

export const ZAssetCategory = z.enum([
  'building',
  'structure',
  'machinery',
  'vehicle',
  'equipment',
  'furniture',
  'infrastructure',
  'other',
]);
export const ZAssetState = z.enum(['in_use', 'idle', 'let', 'disposed']);

const ZAssetFields = {
  code: ZText(30, '资产编号'),
  name: ZText(60, '资产名称'),
  category: ZAssetCategory,
  isOperating: z.boolean().describe('经营性 (earns income) or 非经营性 (public use)'),
  location: ZPoint.nullable().optional().describe('Where it stands (WGS-84)'),
  locationText: z.string().trim().max(100).nullable().optional(),
  originalValue: ZFen,
  openingDepreciation: ZFen.default(0).describe('Depreciation accumulated before these books'),
  salvageValue: ZFen.default(0),
  usefulLifeMonths: z.number().int().min(1).max(1200).nullable().optional().describe('null: not depreciated'),
  acquiredOn: ZDate,
  acquiredHow: z.enum(['purchase', 'construction', 'donation', 'allocation', 'other']),
  state: ZAssetState.default('in_use'),
  contractId: ZId.nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
};
export const ZCreateAsset = z.strictObject(ZAssetFields);
export const ZUpdateAsset = z.strictObject({
  expectedVersion,
  name: ZAssetFields.name.optional(),
  isOperating: z.boolean().optional(),
  location: ZAssetFields.location,
  locationText: ZAssetFields.locationText,
  state: ZAssetState.optional(),
  contractId: ZAssetFields.contractId,
  note: ZAssetFields.note,
});
export const ZAsset = z
  .object({
    id: ZId,
    code: z.string(),
    name: z.string(),
    category: ZAssetCategory,
    isOperating: z.boolean(),
    location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
    locationText: z.string().nullable(),
    originalValue: ZFen,
    accumulatedDepreciation: ZFen,
    netValue: ZSignedFen,
    monthlyDepreciation: ZFen,
    salvageValue: ZFen,
    usefulLifeMonths: z.number().int().nullable(),
    expenseAccount: z
      .string()
      .nullable()
      .describe('The expense account its depreciation is charged to (502/511/541); null: not depreciated'),
    acquiredOn: ZDate,
    acquiredHow: z.string(),
    state: ZAssetState,
    contractId: ZId.nullable(),
    note: z.string().nullable(),
    version: z.number().int(),
    allowedActions: ZAllowedActions,
  })
  .describe('A fixed asset (资产)');
export type Asset = z.infer<typeof ZAsset>;
export const ZAssetList = z.object({
  items: z.array(ZAsset),
  totals: z.object({ originalValue: ZFen, accumulatedDepreciation: ZFen, netValue: ZSignedFen }),
});
export const ZRunDepreciation = z.strictObject({ period: ZBookPeriod });
export const ZDepreciationQuery = z.strictObject({ period: ZBookPeriod });
export const ZDepreciationRun = z
  .object({
    period: z.string(),
    voucherId: ZId.nullable().describe('The run’s voucher; null: not run yet (a preview)'),
    voucherState: z.string().nullable(),
    total: ZFen,
    items: z.array(
      z.object({
        assetId: ZId,
        code: z.string(),
        name: z.string(),
        expenseAccount: z.string(),
        amount: ZFen,
        isLastMonth: z.boolean().describe('The last month of its useful life: takes the remainder'),
      }),
    ),
    lines: z.array(z.object({ accountCode: z.string(), debit: ZFen, credit: ZFen })),
  })
  .describe('计提折旧: one month’s charge per asset and the voucher lines');
export type DepreciationRun = z.infer<typeof ZDepreciationRun>;
export const ZCloseYear = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  date: ZDate.optional().describe('Voucher date; default 31 December'),
});
export const ZYearQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export const ZYearEnd = z
  .object({
    year: z.number().int(),
    state: z
      .enum(['open', 'voucher_pending', 'ready', 'closed'])
      .describe('open: no closing voucher; voucher_pending: drafted, not posted; ready: posted; closed'),
    pendingCount: z.number().int().describe('Vouchers of the year not posted (drafts or in approval)'),
    income: ZSignedFen.describe('The year’s income, before closing'),
    expense: ZSignedFen.describe('The year’s expenses, before closing'),
    netIncome: ZSignedFen,
    closingVoucherId: ZId.nullable(),
    lines: z.array(z.object({ accountCode: z.string(), name: z.string(), debit: ZFen, credit: ZFen })),
    allowedActions: ZAllowedActions.describe('draft-closing, close-year'),
  })
  .describe('年终结账: the closing voucher of a year and whether the year is closed');
export type YearEnd = z.infer<typeof ZYearEnd>;

export const ZResourceKind = z.enum([
  'cultivated',
  'garden',
  'forest',
  'grassland',
  'water',
  'construction',
  'wasteland',
  'other',
]);
export const ZLetHow = z.enum(['contracted', 'leased', 'shareholding', 'self_operated', 'unlet']);

const ZRing = z
  .array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]))
  .min(4)
  .max(5000);
export const ZResourceGeometry = z
  .union([
    z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(ZRing).min(1).max(50) }),
    z.strictObject({
      type: z.literal('MultiPolygon'),
      coordinates: z.array(z.array(ZRing).min(1).max(50)).min(1).max(100),
    }),
  ])
  .describe('GeoJSON outline, WGS-84');

const ZAreaMu = z
  .number()
  .positive({ error: '面积须大于 0 / the area must be positive' })
  .max(10_000_000)
  .refine(
    (value) =>
      Number.isInteger(Math.round(value * 100)) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
    {
      error: '面积最多保留两位小数（亩）/ at most two decimals (mu)',
    },
  )
  .describe('Area in mu (亩), at most two decimals');

const ZResourceFields = {
  code: ZText(30, '资源编号'),
  name: ZText(60, '资源名称'),
  kind: ZResourceKind,
  areaMu: ZAreaMu,
  geometry: ZResourceGeometry.nullable().optional(),
  certificateNo: z.string().trim().max(60).nullable().optional().describe('所有权证号'),
  letHow: ZLetHow,
  contractId: ZId.nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
};
export const ZCreateResource = z.strictObject(ZResourceFields);
export const ZUpdateResource = z.strictObject({
  expectedVersion,
  name: ZResourceFields.name.optional(),
  areaMu: ZAreaMu.optional(),
  geometry: ZResourceFields.geometry,
  certificateNo: ZResourceFields.certificateNo,
  letHow: ZLetHow.optional(),
  contractId: ZResourceFields.contractId,
  note: ZResourceFields.note,
  state: z.enum(['active', 'disposed']).optional(),
});

const ZContractSummary = z.object({
  id: ZId,
  code: z.string(),
  holderName: z.string().describe('Masked for a person unless the viewer keeps the books'),
  startDate: ZDate,
  endDate: ZDate,
  annualRent: ZFen.describe('Total rent ÷ years of the term'),
  state: z.enum(['active', 'ended', 'terminated']),
});

export const ZResource = z
  .object({
    id: ZId,
    code: z.string(),
    name: z.string(),
    kind: ZResourceKind,
    areaMu: z.number(),
    geometry: ZResourceGeometry.nullable(),
    certificateNo: z.string().nullable(),
    letHow: ZLetHow,
    contract: ZContractSummary.nullable(),
    note: z.string().nullable(),
    state: z.enum(['active', 'disposed']),
    version: z.number().int(),
    allowedActions: ZAllowedActions,
  })
  .describe('A resource: land, forest, water surface… (资源)');
export type Resource = z.infer<typeof ZResource>;
export const ZResourceList = z.object({ items: z.array(ZResource) });

export const ZInstalmentInput = z.strictObject({ dueDate: ZDate, amount: ZFen.min(1) });

/** How often rent falls due (收租方式): yearly, half-yearly, quarterly, or the bookkeeper's own list. */
export const ZRentFrequency = z.enum(['year', 'half_year', 'quarter', 'custom']);
export type RentFrequency = z.infer<typeof ZRentFrequency>;

/** The longest term a contract may run: 70 years (the longest 林地 contracting term in law). */
export const MAX_CONTRACT_YEARS = 70;

export const ZCreateContract = z
  .strictObject({
    code: ZText(30, '合同编号'),
    title: ZText(80, '合同名称'),
    counterpartyName: ZText(60, '承包/承租方'),
    counterpartyKind: z.enum(['person', 'organisation']),
    counterpartyIdNo: z
      .string()
      .trim()
      .regex(/^(\d{17}[\dXx]|[0-9A-HJ-NPQRTUWXY]{18})$/, {
        error: '证件号应为 18 位身份证号或统一社会信用代码 / an 18-character ID or credit code',
      })
      .nullable()
      .optional()
      .describe('身份证号 (person) or 统一社会信用代码 (organisation); stored encrypted'),
    counterpartyPhone: z
      .string()
      .trim()
      .regex(/^[0-9+ -]{7,20}$/, { error: '联系电话格式不对 / not a phone number' })
      .nullable()
      .optional()
      .describe('Stored encrypted'),
    resourceId: ZId.nullable().optional(),
    assetId: ZId.nullable().optional(),
    startDate: ZDate,
    endDate: ZDate,
    totalRent: ZFen.min(1, { error: '合同总金额须大于 0 / the total must be above 0' }).describe(
      'The whole term’s rent in fen; the instalments add up to it exactly',
    ),
    annualRent: ZFen.nullable()
      .optional()
      .describe('年租金 as written in the contract; default: total ÷ years of the term'),
    frequency: ZRentFrequency.default('year').describe(
      'year / half_year / quarter: the schedule is generated (rent in advance from the start date, ' +
        'the total split into equal instalments, the odd fen on the first); custom: `schedule` is used',
    ),
    schedule: z
      .array(ZInstalmentInput)
      .min(1)
      .max(600)
      .optional()
      .describe('The rent schedule (租金收取计划) when frequency is custom'),
    documentId: ZId.nullable()
      .optional()
      .describe('The signed contract (PDF or photo) from POST …/attachments'),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .refine((input) => input.endDate >= input.startDate, {
    error: '合同结束日期不能早于开始日期 / the term cannot end before it starts',
    path: ['endDate'],
  })
  .refine(
    (input) => Number(input.endDate.slice(0, 4)) - Number(input.startDate.slice(0, 4)) <= MAX_CONTRACT_YEARS,
    {
      error: `合同期限不能超过 ${MAX_CONTRACT_YEARS} 年 / a term of at most ${MAX_CONTRACT_YEARS} years`,
      path: ['endDate'],
    },
  )
  .refine((input) => !!input.resourceId !== !!input.assetId, {
    error: '合同标的须是一项资源或一项资产 / the subject is one resource or one asset',
    path: ['resourceId'],
  })
  .refine((input) => (input.frequency === 'custom') === (input.schedule !== undefined), {
    error: '自定义收租计划须填写 schedule，其他方式不填 / schedule goes with frequency custom only',
    path: ['schedule'],
  });
export type CreateContract = z.input<typeof ZCreateContract>;

export const ZUpdateContract = z.strictObject({
  expectedVersion,
  state: z.enum(['active', 'ended', 'terminated']).optional(),
  documentId: ZId.nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
});

export const ZRecordRentPayment = z.strictObject({
  instalmentId: ZId.optional().describe('Default: the oldest unpaid instalments first'),
  amount: ZFen.min(1),
  paidOn: ZDate,
  voucherId: ZId.nullable().optional().describe('The receipt voucher in the books'),
});

export const ZInstalment = z.object({
  id: ZId,
  dueDate: ZDate,
  amount: ZFen,
  paidAmount: ZFen,
  paidOn: ZDate.nullable(),
  voucherId: ZId.nullable(),
  isOverdue: z.boolean(),
  overdueDays: z.number().int(),
});
export type Instalment = z.infer<typeof ZInstalment>;

export const ZContract = z
  .object({
    id: ZId,
    bookId: ZId,
    code: z.string(),
    title: z.string(),
    counterpartyName: z.string().describe('A person’s name in full only for those who keep the books'),
    counterpartyKind: z.enum(['person', 'organisation']),
    counterpartyIdNo: z.string().nullable().describe('Masked unless the viewer may see personal data'),
    counterpartyPhone: z.string().nullable().describe('Masked unless the viewer may see personal data'),
    frequency: ZRentFrequency,
    annualRent: ZFen,
    isEndingSoon: z.boolean().describe('Active and ending within 90 days'),
    daysToEnd: z.number().int(),
    receipts: z.array(
      z.object({
        id: ZId,
        instalmentId: ZId,
        amount: ZFen,
        paidOn: ZDate,
        voucherId: ZId.nullable(),
        voucherLabel: z.string().nullable(),
      }),
    ),
    resource: z.object({ id: ZId, code: z.string(), name: z.string() }).nullable(),
    asset: z.object({ id: ZId, code: z.string(), name: z.string() }).nullable(),
    startDate: ZDate,
    endDate: ZDate,
    totalRent: ZFen,
    paidTotal: ZFen,
    overdueAmount: ZFen,
    document: ZAttachment.nullable(),
    schedule: z.array(ZInstalment),
    state: z.enum(['active', 'ended', 'terminated']),
    note: z.string().nullable(),
    version: z.number().int(),
    allowedActions: ZAllowedActions.describe('edit, pay'),
  })
  .describe('A contract letting a resource or an asset (合同), with its rent schedule');
export type Contract = z.infer<typeof ZContract>;
export const ZContractList = z.object({ items: z.array(ZContract) });

export const ZOverdueRent = z.object({
  contractId: ZId,
  contractCode: z.string(),
  title: z.string(),
  holderName: z.string(),
  instalmentId: ZId,
  dueDate: ZDate,
  amount: ZFen,
  paidAmount: ZFen,
  overdueDays: z.number().int(),
});
export const ZOverdueRentList = z
  .object({
    asOf: ZDate,
    items: z.array(ZOverdueRent),
    amount: ZFen.describe('Unpaid overdue rent in all'),
    endingSoon: z
      .array(
        z.object({
          contractId: ZId,
          contractCode: z.string(),
          title: z.string(),
          holderName: z.string(),
          endDate: ZDate,
          daysLeft: z.number().int(),
        }),
      )
      .describe('Active contracts ending within 90 days (合同到期提醒)'),
  })
  .describe('欠租预警: instalments past due and not fully paid, oldest first');
export type OverdueRentList = z.infer<typeof ZOverdueRentList>;
export const ZAlertsQuery = z.strictObject({
  asOf: ZDate.optional().describe('The day to judge on (default today in China)'),
});

export const ZOverdueRentSummaryQuery = z.strictObject({
  unitId: ZId.optional().describe('A street or village; default: everywhere'),
  asOf: ZDate.optional().describe('The day to judge on (default today in China)'),
});
export const ZOverdueRentSummary = z
  .object({
    asOf: ZDate,
    instalments: z.number().int(),
    contracts: z.number().int(),
    amount: ZFen,
    books: z.array(
      z.object({
        bookId: ZId,
        name: z.string(),
        unitId: ZId,
        unitName: z.string(),
        instalments: z.number().int(),
        amount: ZFen,
      }),
    ),
  })
  .describe('Overdue rent (租金逾期) under an area: a figure for the big screen, no names');
export type OverdueRentSummary = z.infer<typeof ZOverdueRentSummary>;

// ---------------------------------------------------------------------------------------------
// Reports

export const ZTrialBalanceQuery = z
  .strictObject({ from: ZBookPeriod, to: ZBookPeriod })
  .refine((query) => query.from <= query.to && query.from.slice(0, 4) === query.to.slice(0, 4), {
    error: '起止期间须在同一年内且起始不晚于结束 / from and to lie in one year, from first',
    path: ['to'],
  });
export const ZTrialBalance = z
  .object({
    bookId: ZId,
    from: ZBookPeriod,
    to: ZBookPeriod,
    rows: z.array(ZTrialBalanceRow.extend({ level: z.number().int(), isLeaf: z.boolean() })),
    totals: ZTrialBalanceRow.omit({ code: true, name: true }),
    isBalanced: z.boolean(),
  })
  .describe('科目余额表 (trial balance)');
export type TrialBalance = z.infer<typeof ZTrialBalance>;

export const ZStatementQuery = z.strictObject({ period: ZBookPeriod });
const ZStatementLine = z.object({
  key: z.string(),
  label: z.string(),
  isTotal: z.boolean(),
  opening: ZSignedFen.describe('年初数'),
  closing: ZSignedFen.describe('期末数'),
});
export const ZBalanceSheet = z
  .object({
    bookId: ZId,
    period: ZBookPeriod,
    assets: z.array(ZStatementLine),
    liabilitiesAndEquity: z.array(ZStatementLine),
    isBalanced: z.boolean(),
  })
  .describe('资产负债表 (balance sheet) at the end of a month');
export type BalanceSheet = z.infer<typeof ZBalanceSheet>;

export const ZIncomeStatement = z
  .object({
    bookId: ZId,
    period: ZBookPeriod,
    lines: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        isTotal: z.boolean(),
        month: ZSignedFen.describe('本月数'),
        ytd: ZSignedFen.describe('本年累计数'),
      }),
    ),
  })
  .describe('收益及收益分配表 (income and distribution statement)');
export type IncomeStatement = z.infer<typeof ZIncomeStatement>;

export const ZLedgerQuery = z
  .strictObject({ accountCode: ZAccountCode, from: ZBookPeriod, to: ZBookPeriod })
  .refine((query) => query.from <= query.to && query.from.slice(0, 4) === query.to.slice(0, 4), {
    error: '起止期间须在同一年内且起始不晚于结束 / from and to lie in one year, from first',
    path: ['to'],
  });
export const ZLedgerRow = z.object({
  kind: z
    .enum(['opening', 'entry', 'month_total', 'year_total'])
    .describe('期初余额 / an entry / 本月合计 / 本年累计'),
  date: ZDate.nullable(),
  period: ZBookPeriod,
  voucherId: ZId.nullable(),
  voucherLabel: z.string().nullable(),
  accountCode: z.string().nullable(),
  summary: z.string(),
  debit: ZFen,
  credit: ZFen,
  side: z.enum(['借', '贷', '平']),
  balance: ZFen,
});
export const ZLedger = z
  .object({
    bookId: ZId,
    account: z.object({ code: z.string(), name: z.string(), direction: ZDirection }),
    from: ZBookPeriod,
    to: ZBookPeriod,
    rows: z.array(ZLedgerRow),
  })
  .describe('明细账 (ledger of one account and its sub-accounts)');
export type Ledger = z.infer<typeof ZLedger>;

// ---------------------------------------------------------------------------------------------
// Public: what every villager may read without signing in

export const ZPublicBookListItem = z.object({
  id: ZId,
  name: z.string(),
  unitId: ZId,
  unitName: z.string(),
  streetName: z.string(),
  lastSealed: z.object({ id: ZId, label: z.string(), sealedAt: ZInstant }).nullable(),
  disclosureCount: z.number().int(),
});
export const ZPublicBookList = z.object({ items: z.array(ZPublicBookListItem) });

export const ZPublicDisclosureItem = z.object({
  id: ZId,
  kind: ZDisclosureKind,
  label: z.string(),
  firstPeriod: ZBookPeriod,
  lastPeriod: ZBookPeriod,
  sealedAt: ZInstant,
  summary: ZDisclosureSummary,
  questionCount: z.number().int(),
});
export type PublicDisclosureItem = z.infer<typeof ZPublicDisclosureItem>;

export const ZPublicBook = z
  .object({
    id: ZId,
    name: z.string(),
    unitId: ZId,
    unitName: z.string(),
    unitCode: z.string(),
    streetId: ZId,
    streetName: z.string(),
    asOf: ZBookPeriod.nullable().describe('The last disclosed month: every figure here is as disclosed'),
    balances: z
      .object({
        funds: ZSignedFen,
        totalAssets: ZSignedFen,
        totalLiabilities: ZSignedFen,
        totalEquity: ZSignedFen,
        claims: ZSignedFen,
        debts: ZSignedFen,
      })
      .nullable(),
    months: z
      .array(z.object({ period: ZBookPeriod, income: ZSignedFen, expenditure: ZSignedFen }))
      .describe('Every disclosed month, oldest first'),
    years: z.array(
      z.object({
        year: z.number().int(),
        income: ZSignedFen,
        expenditure: ZSignedFen,
        months: z.number().int(),
      }),
    ),
    incomeByAccount: z.array(ZAmountLine).describe('The last disclosed year, by account'),
    expenditureByAccount: z.array(ZAmountLine),
    counts: z.object({
      assets: z.number().int(),
      resources: z.number().int(),
      contracts: z.number().int(),
      overdueInstalments: z.number().int(),
    }),
    disclosures: z.array(ZPublicDisclosureItem).describe('Newest first'),
  })
  .describe('A village’s books as its villagers see them');
export type PublicBook = z.infer<typeof ZPublicBook>;

export const ZPublicVoucherLine = z.object({
  account: z.string(),
  accountName: z.string(),
  summary: z.string(),
  debit: ZFen,
  credit: ZFen,
});

export const ZPublicVoucher = z
  .object({
    id: ZId,
    bookId: ZId,
    period: ZBookPeriod,
    number: z.number().int(),
    date: ZDate,
    kind: ZVoucherKind,
    summary: z.string(),
    lines: z.array(ZPublicVoucherLine),
    total: ZFen,
    handler: z.string().nullable().describe('经手人, masked (张*)'),
    attachments: z.array(
      z.object({
        id: ZId,
        kind: z.enum(['image', 'pdf']),
        sha256: z.string(),
        urls: z.object({ file: z.string(), thumb: z.string().nullable() }),
      }),
    ),
    reversesId: ZId.nullable(),
    reversedBy: z
      .object({ id: ZId, label: z.string() })
      .nullable()
      .describe('The later voucher correcting this one'),
    label: z.string(),
  })
  .describe('A posted voucher as villagers see it (personal data masked)');
export type PublicVoucher = z.infer<typeof ZPublicVoucher>;

export const ZPublicVoucherQuery = z.strictObject({
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  accountCode: ZAccountCode.optional().describe('Only vouchers touching this account (or its sub-accounts)'),
});
export const ZPublicVoucherPage = z.object({
  items: z.array(ZPublicVoucher),
  nextCursor: z.string().nullable(),
});

export const ZPublicDisclosure = z
  .object({
    id: ZId,
    bookId: ZId,
    kind: ZDisclosureKind,
    label: z.string(),
    sealedAt: ZInstant,
    content: ZDisclosureContent,
    contentHash: z.string(),
    questions: z.array(ZQuestion),
    journal: z
      .object({ recordType: z.string(), recordId: ZId, url: z.string() })
      .describe('Where to fetch the seal’s journal with its inclusion proof'),
  })
  .describe('A sealed disclosure as villagers see it');
export type PublicDisclosure = z.infer<typeof ZPublicDisclosure>;

export const ZPublicAssetList = z.object({
  items: z.array(
    ZAsset.pick({
      id: true,
      code: true,
      name: true,
      category: true,
      isOperating: true,
      location: true,
      locationText: true,
      originalValue: true,
      accumulatedDepreciation: true,
      netValue: true,
      acquiredOn: true,
      acquiredHow: true,
      state: true,
    }),
  ),
  asOf: z.string().nullable().describe('Depreciation counted to the end of this sealed month'),
  totals: z.object({ originalValue: ZFen, accumulatedDepreciation: ZFen, netValue: ZSignedFen }),
});
export const ZPublicResourceList = z.object({
  items: z.array(ZResource.omit({ version: true, allowedActions: true, certificateNo: true })),
});
export const ZPublicContract = z.object({
  id: ZId,
  code: z.string(),
  title: z.string(),
  holderName: z.string().describe('A person’s name is masked (张*); an organisation’s is shown'),
  subject: z.string().nullable(),
  startDate: ZDate,
  endDate: ZDate,
  totalRent: ZFen,
  paidTotal: ZFen,
  overdueAmount: ZFen,
  annualRent: ZFen,
  overdueInstalments: z.number().int(),
  isEndingSoon: z.boolean(),
  nextDue: z.object({ dueDate: ZDate, amount: ZFen }).nullable(),
  state: z.enum(['active', 'ended', 'terminated']),
});
export type PublicContract = z.infer<typeof ZPublicContract>;
export const ZPublicContractList = z.object({ items: z.array(ZPublicContract) });
export type PublicResourceList = z.infer<typeof ZPublicResourceList>;

// ---------------------------------------------------------------------------------------------
// Shared rules (server and browser)

/** The canonical text of a public voucher that its sealed digest is the SHA-256 of (RFC 8785 JSON). */
export function publicVoucherDigestText(voucher: PublicVoucher): string {
  const text = canonicalize({
    v: 1,
    id: voucher.id,
    book: voucher.bookId,
    period: voucher.period,
    number: voucher.number,
    date: voucher.date,
    kind: voucher.kind,
    summary: voucher.summary,
    lines: voucher.lines.map((line) => [
      line.account,
      line.accountName,
      line.summary,
      line.debit,
      line.credit,
    ]),
    total: voucher.total,
    handler: voucher.handler,
    attachments: voucher.attachments.map((attachment) => [attachment.kind, attachment.sha256]),
    reverses: voucher.reversesId,
  });
  if (text === undefined) throw new Error('voucher cannot be canonicalized');
  return text;
}

/** The canonical text of a disclosure's content (its contentHash is the SHA-256 of this). */
export function disclosureContentText(content: DisclosureContent): string {
  const text = canonicalize(content);
  if (text === undefined) throw new Error('disclosure cannot be canonicalized');
  return text;
}

/** 记-2025-03-007 */
export function voucherLabel(period: string, number: number | null): string {
  return number === null ? '' : `记-${period}-${String(number).padStart(3, '0')}`;
}

/** The months of a disclosure label: 2025-03 → [2025-03]; 2025-Q1 → [2025-01, 2025-02, 2025-03]. */
export function disclosureMonths(label: string): string[] {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!quarter) return [label];
  const first = (Number(quarter[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${quarter[1]}-${String(first + i).padStart(2, '0')}`);
}

/** Formats fen as yuan with thousands separators: 123456 → '1,234.56'. Integer arithmetic only. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses a yuan amount typed by a person ('1,234.5', '¥12', '0.07') into fen without floating point;
 * null when it is not an amount with at most two decimals.
 */
export function parseYuan(text: string): number | null {
  const cleaned = text.replace(/[,，\s¥￥元]/g, '');
  const match = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -fen : fen;
}

/**
 * A rent schedule: `amount` fen every `every` from `start` (rent in advance) until the term ends.
 * The console proposes it; the bookkeeper may change any instalment before saving.
 */
export function rentSchedule(
  start: string,
  end: string,
  amount: number,
  every: 'year' | 'half_year' | 'quarter' | 'month' | 'once',
): { dueDate: string; amount: number }[] {
  if (every === 'once') return [{ dueDate: start, amount }];
  const step = { year: 12, half_year: 6, quarter: 3, month: 1 }[every];
  const out: { dueDate: string; amount: number }[] = [];
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  for (let i = 0; out.length < 600; i += step) {
    const month0 = m - 1 + i;
    const year = y + Math.floor(month0 / 12);
    const month = (month0 % 12) + 1;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const due = `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
    if (due > end) break;
    out.push({ dueDate: due, amount });
  }
  return out;
}

/**
 * The generated rent schedule of a contract: due dates every year / half-year / quarter from the start
 * (rent in advance) within the term, and `total` split into equal whole-fen instalments, the odd fen
 * going to the first ones, so the instalments add up to `total` exactly.
 */
export function splitRentSchedule(
  start: string,
  end: string,
  total: number,
  every: 'year' | 'half_year' | 'quarter',
): { dueDate: string; amount: number }[] {
  const dates = rentSchedule(start, end, 0, every);
  const count = dates.length;
  const base = Math.floor(total / count);
  const odd = total - base * count;
  return dates.map((entry, i) => ({ dueDate: entry.dueDate, amount: base + (i < odd ? 1 : 0) }));
}

/** Months of a term, counting a part month as whole: 2025-01-01..2025-12-31 → 12. */
export function termMonths(start: string, end: string): number {
  const [y0, m0, d0] = start.split('-').map(Number) as [number, number, number];
  const [y1, m1, d1] = end.split('-').map(Number) as [number, number, number];
  // the day after the end
  const next = new Date(Date.UTC(y1, m1 - 1, d1 + 1));
  let months = (next.getUTCFullYear() - y0) * 12 + (next.getUTCMonth() + 1 - m0);
  if (next.getUTCDate() > d0) months++;
  return Math.max(1, months);
}

// ---------------------------------------------------------------------------------------------
// Request shapes of the routes

export const ZPublicBookListQuery = z.strictObject({
  unitId: ZId.optional().describe('Only books under this street or village'),
});
export const ZVersionBody = z.strictObject({ expectedVersion });
export const ZDisclosureVoucherParams = z.strictObject({ id: ZId });
export type PublicBookList = z.infer<typeof ZPublicBookList>;
export type PublicVoucherPage = z.infer<typeof ZPublicVoucherPage>;
