import type {
  JournalKeys,
  PublicDisclosure,
  PublicVoucher,
  PublicVoucherPage,
  RecordJournal,
} from '@minqing/contract';
import { verifyDisclosure, type DisclosureVerification } from '@minqing/contract/finance-verify';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { pick, useLanguage, useT } from '../shared/i18n.ts';
import { AmountList } from './BookPage.tsx';
import { formatDateTime, periodLabel, useApi, yuan } from './data.ts';
import { Problem, Waiting } from './parts.tsx';
import { navigate } from './router.ts';

const PAGE = 100;

/** One sealed disclosure: the seven categories, the vouchers (drill down), the check, the questions. */
export function DisclosurePage({ bookId, disclosureId }: { bookId: string; disclosureId: string }) {
  const t = useT();
  const [language] = useLanguage();
  const disclosure = useApi<PublicDisclosure>(`/api/public/disclosures/${disclosureId}`);
  const [vouchers, setVouchers] = useState<PublicVoucher[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [open, setOpen] = useState<PublicVoucher | null>(null);

  const loadMore = (after: string | null | undefined) => {
    api
      .get<PublicVoucherPage>(
        `/api/public/disclosures/${disclosureId}/vouchers?limit=${PAGE}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`,
      )
      .then((page) => {
        setVouchers((previous) => (after ? [...previous, ...page.items] : page.items));
        setCursor(page.nextCursor);
      })
      .catch(() => setCursor(null));
  };
  useEffect(() => loadMore(undefined), [disclosureId]);

  if (disclosure.error) return <Problem error={disclosure.error} retry={disclosure.reload} />;
  if (!disclosure.data) return <Waiting />;
  const d = disclosure.data;
  const c = d.content;
  return (
    <section>
      <a
        className="bk-back"
        href={`/books/${bookId}`}
        onClick={(event) => {
          event.preventDefault();
          navigate(`/books/${bookId}`);
        }}
      >
        ‹ {c.book.unitName}
      </a>
      <h1 className="bk-h1">
        {periodLabel(d.label, language)}{' '}
        {d.kind === 'quarter'
          ? t('季度财务公开', 'quarterly disclosure')
          : t('月度财务公开', 'monthly disclosure')}
      </h1>
      <p className="bk-muted bk-small">
        {t('封存于', 'Sealed')} {formatDateTime(d.sealedAt, language)} · SHA-256{' '}
        <code>{d.contentHash.slice(0, 12)}…</code>
      </p>

      <VerifyPanel disclosure={d} />

      <h2 className="bk-h2">{t('一、收入', '1. Income')}</h2>
      <div className="bk-panel">
        <AmountList items={c.income.items} />
        <Total label={t('合计', 'Total')} value={c.income.total} />
      </div>
      <h2 className="bk-h2">{t('二、支出', '2. Spending')}</h2>
      <div className="bk-panel">
        <AmountList items={c.expenditure.items} />
        <Total label={t('合计', 'Total')} value={c.expenditure.total} />
      </div>
      <h2 className="bk-h2">{t('三、资产', '3. Assets')}</h2>
      <div className="bk-panel">
        <div className="bk-panel-title">{t('货币资金', 'Cash and bank')}</div>
        <AmountList items={c.assets.funds} />
        <Total label={t('合计', 'Total')} value={c.assets.fundsTotal} />
        <div className="bk-panel-title">{t('资产负债表（期末）', 'Balance sheet (end of period)')}</div>
        <table className="bk-table">
          <tbody>
            {c.assets.balanceSheet.map((line) => (
              <tr key={line.key} className={line.key.startsWith('total') ? 'bk-total-row' : undefined}>
                <td>{line.label}</td>
                <td className="bk-num">{yuan(line.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="bk-small bk-muted">
          {t(
            `固定资产 ${c.assets.register.count} 项（经营性 ${c.assets.register.operatingCount} 项），原值 ${yuan(c.assets.register.originalValue)}，净值 ${yuan(c.assets.register.netValue)}`,
            `${c.assets.register.count} fixed assets (${c.assets.register.operatingCount} operating), cost ${yuan(c.assets.register.originalValue)}, net ${yuan(c.assets.register.netValue)}`,
          )}
        </p>
      </div>
      <h2 className="bk-h2">{t('四、资源', '4. Resources')}</h2>
      <div className="bk-panel bk-small">
        {t(
          `资源 ${c.resources.count} 处，共 ${(c.resources.areaCentimu / 100).toFixed(2)} 亩，已发包/出租 ${c.resources.letCount} 处；合同 ${c.resources.contracts} 份。本期应收租金 ${yuan(c.resources.rentDue)}，已收 ${yuan(c.resources.rentReceived)}；逾期 ${c.resources.overdueInstalments} 笔 ${yuan(c.resources.overdueAmount)}。`,
          `${c.resources.count} resources, ${(c.resources.areaCentimu / 100).toFixed(2)} mu, ${c.resources.letCount} let; ${c.resources.contracts} contracts. Rent due this period ${yuan(c.resources.rentDue)}, received ${yuan(c.resources.rentReceived)}; ${c.resources.overdueInstalments} overdue (${yuan(c.resources.overdueAmount)}).`,
        )}
      </div>
      <h2 className="bk-h2">{t('五、债权债务', '5. Claims and debts')}</h2>
      <div className="bk-panel">
        <div className="bk-panel-title">{t('债权（应收）', 'Claims (receivable)')}</div>
        <AmountList items={c.debts.claims} />
        <Total label={t('合计', 'Total')} value={c.debts.claimsTotal} />
        <div className="bk-panel-title">{t('债务（应付、借款）', 'Debts (payable, loans)')}</div>
        <AmountList items={c.debts.debts} />
        <Total label={t('合计', 'Total')} value={c.debts.debtsTotal} />
      </div>
      <h2 className="bk-h2">{t('六、收益分配', '6. Income distribution')}</h2>
      <div className="bk-panel">
        <table className="bk-table">
          <tbody>
            <tr>
              <td>{t('本年净收益（累计）', 'Net income, year to date')}</td>
              <td className="bk-num">{yuan(c.distribution.netProfitYtd)}</td>
            </tr>
            <tr>
              <td>{t('本期分配', 'Distributed this period')}</td>
              <td className="bk-num">{yuan(c.distribution.total)}</td>
            </tr>
            <tr>
              <td>{t('未分配收益（期末）', 'Undistributed (end)')}</td>
              <td className="bk-num">{yuan(c.distribution.undistributed)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <h2 className="bk-h2">{t('七、重大事项', '7. Major items')}</h2>
      <div className="bk-panel">
        {c.majorItems.length === 0 && (
          <div className="bk-muted">{t('本期没有重大事项', 'No major items this period')}</div>
        )}
        {c.majorItems.map((item, index) => (
          <div key={index} className="bk-major">
            <div className="bk-card-title">{item.title}</div>
            <div>{item.description}</div>
            <div className="bk-small bk-muted">
              {item.amount !== null && `${t('金额', 'Amount')} ${yuan(item.amount)}`}
              {item.decidedOn && ` · ${t('决议日期', 'Decided')} ${item.decidedOn}`}
            </div>
          </div>
        ))}
      </div>

      <h2 className="bk-h2">
        {t('记账凭证', 'Vouchers')} <small className="bk-muted">({c.totals.voucherCount})</small>
      </h2>
      <ul className="bk-vouchers">
        {vouchers.map((voucher) => (
          <li key={voucher.id}>
            <button type="button" className="bk-voucher-row" onClick={() => setOpen(voucher)}>
              <span className="bk-voucher-label">{voucher.label}</span>
              <span className="bk-voucher-summary">{voucher.summary}</span>
              <span className="bk-num">{yuan(voucher.total)}</span>
            </button>
          </li>
        ))}
      </ul>
      {cursor === undefined && <Waiting />}
      {cursor && (
        <button type="button" className="bk-button bk-wide" onClick={() => loadMore(cursor)}>
          {t('加载更多凭证', 'More vouchers')}
        </button>
      )}

      <Questions disclosure={d} vouchers={vouchers} onAsked={disclosure.reload} />
      {open && <VoucherSheet voucher={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

function Total({ label, value }: { label: string; value: number }) {
  return (
    <div className="bk-total">
      <span>{label}</span>
      <b className="bk-num">{yuan(value)}</b>
    </div>
  );
}

/** 核验: everything re-computed here, in this browser, against the signed seal. */
function VerifyPanel({ disclosure }: { disclosure: PublicDisclosure }) {
  const t = useT();
  const [language] = useLanguage();
  const [state, setState] = useState<
    | { phase: 'idle' }
    | { phase: 'running'; done: number; total: number; step: string }
    | { phase: 'done'; result: DisclosureVerification }
    | { phase: 'error'; message: string }
  >({ phase: 'idle' });

  const run = async () => {
    try {
      setState({
        phase: 'running',
        done: 0,
        total: disclosure.content.totals.voucherCount,
        step: t('读取凭证', 'Fetching vouchers'),
      });
      const vouchers: PublicVoucher[] = [];
      let cursor: string | null = null;
      do {
        const page: PublicVoucherPage = await api.get<PublicVoucherPage>(
          `/api/public/disclosures/${disclosure.id}/vouchers?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        vouchers.push(...page.items);
        cursor = page.nextCursor;
        setState({
          phase: 'running',
          done: vouchers.length,
          total: disclosure.content.totals.voucherCount,
          step: t('读取凭证', 'Fetching vouchers'),
        });
      } while (cursor);
      setState({
        phase: 'running',
        done: 0,
        total: vouchers.length,
        step: t('读取封存记录和签名', 'Fetching the seal and signature'),
      });
      const [journal, keys] = await Promise.all([
        api.get<RecordJournal>(disclosure.journal.url),
        api.get<JournalKeys>('/.well-known/minqing/journal-keys.json'),
      ]);
      const result = await verifyDisclosure({
        disclosure,
        journal,
        keys: keys.keys,
        vouchers,
        // every receipt photo shown is hashed here and compared with the sealed voucher's digest
        fetchAttachment: async (url) => {
          const response = await fetch(url);
          if (!response.ok) throw new Error(`${response.status}`);
          return response.arrayBuffer();
        },
        onProgress: (done, total) =>
          setState({ phase: 'running', done, total, step: t('逐张核对凭证', 'Checking each voucher') }),
      });
      setState({ phase: 'done', result });
    } catch (error) {
      setState({ phase: 'error', message: error instanceof ApiError ? error.text() : String(error) });
    }
  };

  return (
    <div className="bk-verify">
      <div className="bk-row">
        <div>
          <div className="bk-card-title">{t('核验这期账目', 'Verify these books')}</div>
          <div className="bk-small bk-muted">
            {t(
              '在您的手机上重新计算，确认显示的账目就是封存时的账目',
              'Re-computed on your phone: are the books shown exactly the books sealed?',
            )}
          </div>
        </div>
        <button
          type="button"
          className="bk-button bk-primary"
          onClick={() => void run()}
          disabled={state.phase === 'running'}
        >
          {state.phase === 'running' ? t('核验中…', 'Checking…') : t('核验', 'Verify')}
        </button>
      </div>
      {state.phase === 'running' && (
        <div className="bk-progress" role="status">
          <div>
            {state.step}
            {state.total > 0 && ` ${state.done}/${state.total}`}
          </div>
          <div className="bk-bar">
            <div style={{ width: `${state.total ? Math.round((100 * state.done) / state.total) : 10}%` }} />
          </div>
        </div>
      )}
      {state.phase === 'error' && (
        <div className="bk-result bk-bad" role="alert">
          {t('核验没有完成：', 'The check did not finish: ')}
          {state.message}
        </div>
      )}
      {state.phase === 'done' && (
        <div
          className={`bk-result ${state.result.isValid === true ? 'bk-good' : state.result.isValid === null ? 'bk-wait' : 'bk-bad'}`}
          role="status"
          data-testid="verify-result"
        >
          <p className="bk-result-head">
            {state.result.isValid === true
              ? t(
                  `✓ 核验通过：页面显示的账目与封存的账目完全一致（核对了 ${state.result.vouchersChecked} 张凭证，签名批次 #${state.result.batchId}）。`,
                  `✓ Verified: the books shown are exactly the books sealed (${state.result.vouchersChecked} vouchers checked, signed batch #${state.result.batchId}).`,
                )
              : state.result.isValid === null
                ? t(
                    '封存记录正在等待签名，请稍后再核验。',
                    'The seal waits for its signature; verify again shortly.',
                  )
                : t(
                    '✗ 核验未通过：显示的账目与封存时不一致。',
                    '✗ Not verified: the books shown differ from the books sealed.',
                  )}
          </p>
          <ul className="bk-steps">
            {state.result.steps.map((step) => (
              <li key={step.key}>
                {step.ok === true ? '✓' : step.ok === false ? '✗' : '…'} {pick(step.label, language)}
              </li>
            ))}
          </ul>
          {state.result.problems.length > 0 && (
            <ul className="bk-problems">
              {state.result.problems.slice(0, 20).map((problem, index) => (
                <li key={index}>{pick(problem.message, language)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function VoucherSheet({ voucher, onClose }: { voucher: PublicVoucher; onClose: () => void }) {
  const t = useT();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="bk-sheet-backdrop" onClick={onClose}>
      <div
        className="bk-sheet"
        role="dialog"
        aria-modal="true"
        aria-label={voucher.label}
        onClick={(event) => event.stopPropagation()}
      >
        <div className="bk-row">
          <div className="bk-card-title">{voucher.label}</div>
          <button type="button" className="bk-link-button" onClick={onClose}>
            {t('关闭', 'Close')}
          </button>
        </div>
        <div className="bk-small bk-muted">
          {voucher.date} · {t('经手人', 'Handled by')} {voucher.handler ?? '—'}
          {voucher.kind === 'reversal' && ` · ${t('冲销凭证', 'reversing voucher')}`}
        </div>
        <p>{voucher.summary}</p>
        {voucher.reversedBy && (
          <p className="bk-warn-text">
            {t(
              `本凭证已被 ${voucher.reversedBy.label} 冲销更正`,
              `Corrected by the reversing voucher ${voucher.reversedBy.label}`,
            )}
          </p>
        )}
        <table className="bk-table bk-lines">
          <thead>
            <tr>
              <th>{t('摘要 / 科目', 'Summary / account')}</th>
              <th className="bk-num">{t('借方', 'Debit')}</th>
              <th className="bk-num">{t('贷方', 'Credit')}</th>
            </tr>
          </thead>
          <tbody>
            {voucher.lines.map((line, index) => (
              <tr key={index}>
                <td>
                  {line.summary}
                  <div className="bk-small bk-muted">
                    {line.account} {line.accountName}
                  </div>
                </td>
                <td className="bk-num">{line.debit ? yuan(line.debit) : ''}</td>
                <td className="bk-num">{line.credit ? yuan(line.credit) : ''}</td>
              </tr>
            ))}
            <tr className="bk-total-row">
              <td>{t('合计', 'Total')}</td>
              <td className="bk-num">{yuan(voucher.total)}</td>
              <td className="bk-num">{yuan(voucher.total)}</td>
            </tr>
          </tbody>
        </table>
        {voucher.attachments.length > 0 && (
          <div className="bk-attachments">
            {voucher.attachments.map((attachment) =>
              attachment.kind === 'image' && attachment.urls.thumb ? (
                <a key={attachment.id} href={attachment.urls.file} target="_blank" rel="noreferrer">
                  <img src={attachment.urls.thumb} alt={t('原始单据照片', 'Receipt photo')} />
                </a>
              ) : (
                <a key={attachment.id} href={attachment.urls.file} target="_blank" rel="noreferrer">
                  {t('附件（PDF）', 'Attachment (PDF)')}
                </a>
              ),
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function Questions({
  disclosure,
  vouchers,
  onAsked,
}: {
  disclosure: PublicDisclosure;
  vouchers: PublicVoucher[];
  onAsked: () => void;
}) {
  const t = useT();
  const [language] = useLanguage();
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [voucherId, setVoucherId] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const [sending, setSending] = useState(false);
  const submit = async () => {
    setSending(true);
    setStatus(null);
    try {
      await api.post(`/api/public/disclosures/${disclosure.id}/questions`, {
        text,
        name: name.trim() || null,
        voucherId: voucherId || null,
      });
      setText('');
      setStatus({
        ok: true,
        message: t('已提交，答复会公开在这里。', 'Sent; the answer will be shown here.'),
      });
      onAsked();
    } catch (error) {
      setStatus({ ok: false, message: error instanceof ApiError ? error.text() : String(error) });
    } finally {
      setSending(false);
    }
  };
  return (
    <>
      <h2 className="bk-h2">{t('村民意见', 'Villagers’ questions')}</h2>
      {disclosure.questions.length === 0 && (
        <div className="bk-muted bk-small">{t('还没有人提问。', 'No questions yet.')}</div>
      )}
      <ul className="bk-list">
        {disclosure.questions.map((question) => (
          <li key={question.id} className="bk-card">
            <div className="bk-small bk-muted">
              {question.askerName} · {formatDateTime(question.askedAt, language)}
              {question.voucherLabel && ` · ${question.voucherLabel}`}
            </div>
            <div>{question.text}</div>
            {question.answer ? (
              <div className="bk-answer">
                <b>{t('答复：', 'Answer: ')}</b>
                {question.answer}
              </div>
            ) : (
              <div className="bk-small bk-muted">{t('等待答复', 'Awaiting an answer')}</div>
            )}
          </li>
        ))}
      </ul>
      <form
        className="bk-ask"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label>
          {t('我有疑问', 'Ask a question')}
          <textarea
            value={text}
            onChange={(event) => setText(event.target.value)}
            rows={3}
            maxLength={500}
            required
          />
        </label>
        <div className="bk-two">
          <label>
            {t('署名（选填，公开时隐去名字）', 'Name (optional, shown masked)')}
            <input value={name} onChange={(event) => setName(event.target.value)} maxLength={20} />
          </label>
          <label>
            {t('关于哪张凭证（选填）', 'About which voucher (optional)')}
            <select value={voucherId} onChange={(event) => setVoucherId(event.target.value)}>
              <option value="">{t('整期公开', 'The whole disclosure')}</option>
              {vouchers.map((voucher) => (
                <option key={voucher.id} value={voucher.id}>
                  {voucher.label} {voucher.summary}
                </option>
              ))}
            </select>
          </label>
        </div>
        <button type="submit" className="bk-button bk-primary" disabled={sending || text.trim().length < 4}>
          {sending ? t('提交中…', 'Sending…') : t('提交意见', 'Send')}
        </button>
        {status && (
          <p className={status.ok ? 'bk-ok-text' : 'bk-warn-text'} role="status">
            {status.message}
          </p>
        )}
      </form>
    </>
  );
}
