import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { JournalProblem } from './problems.ts';
import { verifyJournal, type VerifyProgress, type VerifyReport } from './verify-journal.ts';

const USAGE = 'usage: minqing verify [--street STREET_ID] [--threads N] [--all-signatures] [--json]';
const PROGRESS_EVERY_MS = 1000;
const SHOWN_PROBLEMS = 20;

export interface CommandIo {
  db: Db;
  print: (line: string) => void;
  /** Progress lines for long runs (stderr, so that --json output stays clean). */
  progress: (line: string) => void;
}

/**
 * `minqing verify`: re-checks every entry hash, record chain, batch (Merkle root, head, signature,
 * chain of heads) and projection, prints what it checked and names the first broken entry or row.
 * Exit status 0 when the journal verifies, 1 when it does not, 2 for a wrong command line.
 */
export async function runVerifyCommand(args: string[], io: CommandIo): Promise<number> {
  let options: {
    street?: string | undefined;
    threads?: number | undefined;
    allSignatures: boolean;
    json: boolean;
  };
  try {
    const { values } = parseArgs({
      args,
      options: {
        street: { type: 'string' },
        threads: { type: 'string' },
        'all-signatures': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    options = {
      street: values.street === undefined ? undefined : z.uuid().parse(values.street),
      threads:
        values.threads === undefined
          ? undefined
          : z.coerce.number().int().min(0).max(16).parse(values.threads),
      allSignatures: values['all-signatures'],
      json: values.json,
    };
  } catch (error) {
    io.print(
      `${error instanceof z.ZodError ? 'invalid --street or --threads' : (error as Error).message}\n${USAGE}`,
    );
    return 2;
  }
  let lastProgress = performance.now();
  const report = await verifyJournal(io.db, {
    streetId: options.street,
    threads: options.threads,
    signatures: options.allSignatures ? 'every' : 'chain-ends',
    maxProblems: 100,
    onProgress: (progress) => {
      if (performance.now() - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = performance.now();
      io.progress(formatProgress(progress));
    },
  });
  if (options.json) io.print(JSON.stringify(report, null, 2));
  else for (const line of formatVerifyReport(report)) io.print(line);
  return report.isValid ? 0 : 1;
}

export function formatProgress(progress: VerifyProgress): string {
  const percent = progress.total > 0 ? Math.floor((progress.checked / progress.total) * 100) : 100;
  const what = progress.phase === 'entries' ? '日志记录 entries' : '当前数据 projected rows';
  return `… ${what} ${progress.checked}/${progress.total} (${percent}%) ${(progress.elapsedMs / 1000).toFixed(1)} s`;
}

export function formatVerifyReport(report: VerifyReport): string[] {
  const scope = report.streetId ? `街道 street ${report.streetId}` : '全部 all streets';
  const lines = [
    `核验范围 scope: ${scope}`,
    `日志记录 entries ${report.entries}（未封存 unsealed ${report.unsealedEntries}），记录 records ${report.records}，批次 batches ${report.batches}`,
    `签名 signatures: ${report.signaturesChecked} 个直接核验 verified directly, ${report.batches - report.signaturesChecked} 个经批次头链核验 through the chain of heads`,
    `当前数据 projected rows: ${report.projections.map((p) => `${p.recordType} ${p.rows}`).join(', ') || '—'}`,
    `用时 took ${(report.durationMs / 1000).toFixed(2)} s，${report.entriesPerSecond} entries/s（${report.threads} worker threads）`,
  ];
  if (report.isValid) {
    lines.push('核验通过：每条记录、每条链、每个批次及其签名、每行当前数据都与日志一致。');
    lines.push('Verified: every entry, chain, batch, signature and projected row matches the journal.');
    return lines;
  }
  lines.push(`核验失败 VERIFICATION FAILED: ${report.problemCount} 处问题 problems`);
  const first = report.problems[0]!;
  lines.push(`第一处 first: ${first.message.zh}`);
  lines.push(`              ${first.message.en}`);
  for (const problem of report.problems.slice(1, SHOWN_PROBLEMS)) lines.push(`  - ${describe(problem)}`);
  if (report.problemCount > SHOWN_PROBLEMS)
    lines.push(`  … (${report.problemCount - SHOWN_PROBLEMS} more; --json lists 100)`);
  return lines;
}

function describe(problem: JournalProblem): string {
  return `[${problem.code}] ${problem.message.en}`;
}
