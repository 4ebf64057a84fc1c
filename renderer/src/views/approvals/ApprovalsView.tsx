import { Button, Callout, Card, Classes, HTMLTable, NonIdealState, Spinner, Tag, TextArea } from '@blueprintjs/core';
import { CrossIcon, ErrorIcon, RefreshIcon, TickIcon, UndoIcon } from '@blueprintjs/icons';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApprovalRequest } from '../../../../shared/approvals/schemas';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import { APPROVAL_POLICY } from '../../../../shared/policy/approvals';
import { adviceFor } from '../../components/errorAdvice';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import type { CsvColumn } from '../../components/csvExport';
import { toIpcError } from '../../platform/ipcError';
import { useTenantsStore } from '../tenants/tenantsStore';
import { describeRequest, displayedStatus, splitInbox, STATUS_INTENT, timeLeft, whoMayApprove } from './approvalsModel';
import { useApprovalsStore } from './approvalsStore';
import { DateTime } from '../../components/DateTime';

const when = (iso: string) => <DateTime value={iso} />;

const ERROR_TEXT: Record<string, string> = {
  approval_self: 'A second person must decide this: not you, since you asked for it or it is about you.',
  approval_expired: 'This request expired before anyone decided it; nothing was done. Its requester must ask again.',
  approval_decided: 'Someone else decided this request first.',
  approval_not_yours: 'Only the person who made a request can withdraw it.',
  step_up_required: 'Deciding needs a current authenticator code; nothing was done.',
  last_owner: 'Approving would now remove every owner of the tenant; nothing was done.',
};

const approvalCsvColumns = (names: (id: string) => string | undefined, now: Date): CsvColumn<ApprovalRequest>[] => [
  { header: 'Request', value: (r) => describeRequest(r, names) },
  { header: 'Reason', value: (r) => r.reason },
  { header: 'Status', value: (r) => displayedStatus(r, now) },
  { header: 'Requested', value: (r) => r.createdAt },
  { header: 'Expires', value: (r) => r.expiresAt },
  { header: 'Decided by', value: (r) => r.decidedBy?.email ?? null },
  { header: 'Decided', value: (r) => r.decidedAt ?? null },
  { header: 'Comment', value: (r) => r.comment ?? null },
  { header: 'Request ID', value: (r) => r.id },
];

const resultText = (r: ApprovalRequest): ReactNode => {
  if (!r.result) return '';
  if (typeof r.result.revoked === 'number') return `${r.result.revoked} session${r.result.revoked === 1 ? '' : 's'} revoked`;
  if (typeof r.result.removed === 'number') return `${r.result.removed} member${r.result.removed === 1 ? '' : 's'} removed`;
  if (typeof r.result.expiresAt === 'string') return <>granted until {when(r.result.expiresAt)}</>;
  return '';
};

/** One request awaiting my decision: what, who asked and why, the deadline, and approve/deny with a comment. */
const DecisionCard = ({ request, label, now, who }: { request: ApprovalRequest; label: string; now: Date; who: string }) => {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'deny' | null>(null);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const decide = (decision: 'approve' | 'deny') => {
    setBusy(decision);
    setError(null);
    useApprovalsStore
      .getState()
      .decide(request, decision, comment.trim())
      .catch((e: unknown) => {
        const { code, message } = toIpcError(e);
        setError({ code, message });
      })
      .finally(() => setBusy(null));
  };
  return (
    <Card compact className="attest-approval-card" data-testid="approval-to-decide" data-approval-id={request.id}>
      <div className="attest-approval-head">
        <span className="attest-cell-strong" data-testid="approval-title">
          {label}
        </span>
        <Tag minimal intent="warning">
          expires {timeLeft(request.expiresAt, now)}
        </Tag>
      </div>
      <p className={Classes.TEXT_MUTED}>
        Requested by {request.requestedBy.email} · {when(request.createdAt)}
      </p>
      <p className={Classes.TEXT_MUTED} data-testid="approval-who">
        {who}
      </p>
      <blockquote className="attest-approval-reason" data-testid="approval-reason">
        {request.reason}
      </blockquote>
      <TextArea
        fill
        maxLength={1000}
        placeholder="Comment (recorded with your decision)"
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        aria-label="Comment"
        data-testid="approval-comment"
      />
      {error && (
        <Callout compact intent="danger" className="attest-inline-callout" data-testid="approval-error" data-code={error.code}>
          {ERROR_TEXT[error.code] ?? `${error.message} ${adviceFor(error.code)}`}
        </Callout>
      )}
      <div className="attest-approval-actions">
        <Button intent="primary" icon={<TickIcon />} text="Approve" loading={busy === 'approve'} disabled={busy !== null} onClick={() => decide('approve')} data-testid="approval-approve" />
        <Button variant="outlined" icon={<CrossIcon />} text="Deny" loading={busy === 'deny'} disabled={busy !== null} onClick={() => decide('deny')} data-testid="approval-deny" />
      </div>
    </Card>
  );
};

/** One's own pending request: who may approve it, and Withdraw. */
const PendingMine = ({ request, who }: { request: ApprovalRequest; who: string }) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const withdraw = () => {
    setBusy(true);
    setError(null);
    useApprovalsStore
      .getState()
      .withdraw(request)
      .catch((e: unknown) => {
        const { code, message } = toIpcError(e);
        setError({ code, message });
      })
      .finally(() => setBusy(false));
  };
  return (
    <>
      <div className={Classes.TEXT_MUTED} data-testid="approval-who">
        Awaiting a second person. {who}
      </div>
      <Button size="small" variant="outlined" icon={<UndoIcon />} text="Withdraw" loading={busy} onClick={withdraw} data-testid="approval-withdraw" />
      {error && (
        <Callout compact intent="danger" className="attest-inline-callout" data-testid="approval-error" data-code={error.code}>
          {ERROR_TEXT[error.code] ?? `${error.message} ${adviceFor(error.code)}`}
        </Callout>
      )}
    </>
  );
};

const ApprovalsView = () => {
  const list = useApprovalsStore((s) => s.list);
  const tenantsLoad = useTenantsStore((s) => s.list);
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    void useApprovalsStore.getState().load();
    if (useTenantsStore.getState().list.status === 'idle') void useTenantsStore.getState().load();
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const names = useMemo(() => {
    const tenants = 'value' in tenantsLoad && tenantsLoad.value ? tenantsLoad.value : [];
    const byId = new Map(tenants.map((t) => [t.id as string, t.name]));
    return (id: string) => byId.get(id);
  }, [tenantsLoad]);

  const items = 'value' in list ? list.value : undefined;
  const { toDecide, mine } = useMemo(() => splitInbox(items ?? [], now), [items, now]);

  let body;
  if (!items) {
    body =
      list.status === 'error' ? (
        <div data-testid="approvals-error" data-code={list.error.code}>
          <NonIdealState
            icon={<ErrorIcon size={48} />}
            title="Could not load approvals"
            description={
              <p>
                <code>{list.error.code}</code> {list.error.message} {adviceFor(list.error.code)}
              </p>
            }
            action={<Button icon={<RefreshIcon />} text="Retry" onClick={() => void useApprovalsStore.getState().load()} />}
          />
        </div>
      ) : (
        <NonIdealState icon={<Spinner size={32} />} title="Loading approvals…" />
      );
  } else {
    body = (
      <div className="attest-approvals-body">
        <section aria-labelledby="approvals-to-decide" data-testid="approvals-to-decide">
          <h2 id="approvals-to-decide" className={`${Classes.HEADING} attest-section-title`}>
            Waiting for your decision <span className={Classes.TEXT_MUTED}>{toDecide.length}</span>
          </h2>
          {toDecide.length === 0 ? (
            <p className={Classes.TEXT_MUTED} data-testid="approvals-none-to-decide">
              Nothing waits for you. Requests you may decide appear here; you cannot decide your own.
            </p>
          ) : (
            <div className="attest-approval-cards">
              {toDecide.map((r) => (
                <DecisionCard key={r.id} request={r} label={describeRequest(r, names)} now={now} who={whoMayApprove(r, names)} />
              ))}
            </div>
          )}
        </section>
        <section aria-labelledby="approvals-mine" data-testid="approvals-mine">
          <h2 id="approvals-mine" className={`${Classes.HEADING} attest-section-title`}>
            Your requests <span className={Classes.TEXT_MUTED}>{mine.length}</span>
          </h2>
          {mine.length === 0 ? (
            <p className={Classes.TEXT_MUTED}>You have asked for nothing that needs approval.</p>
          ) : (
            <HTMLTable compact striped className="attest-approvals-table">
              <thead>
                <tr>
                  <th>Request</th>
                  <th>Status</th>
                  <th>Requested</th>
                  <th>Decision</th>
                </tr>
              </thead>
              <tbody>
                {mine.map((r) => {
                  const status = displayedStatus(r, now);
                  return (
                    <tr key={r.id} data-testid="approval-mine" data-approval-id={r.id} data-status={status}>
                      <td>
                        <div className="attest-cell-strong">{describeRequest(r, names)}</div>
                        <div className={Classes.TEXT_MUTED}>{r.reason}</div>
                      </td>
                      <td>
                        <Tag minimal intent={STATUS_INTENT[status]} data-testid="approval-status">
                          {status}
                        </Tag>
                        {status === 'pending' && <div className={Classes.TEXT_MUTED}>expires {timeLeft(r.expiresAt, now)}</div>}
                      </td>
                      <td>{when(r.createdAt)}</td>
                      <td>
                        {r.decidedBy ? (
                          <>
                            <div>
                              {status === 'withdrawn' ? 'withdrawn by you' : `${status} by ${r.decidedBy.email}`}
                              {r.decidedAt && <> · {when(r.decidedAt)}</>}
                            </div>
                            {r.comment && <div className={Classes.TEXT_MUTED}>“{r.comment}”</div>}
                            {resultText(r) && <div data-testid="approval-result">{resultText(r)}</div>}
                          </>
                        ) : (
                          status === 'pending' ? (
                            <PendingMine request={r} who={whoMayApprove(r, names)} />
                          ) : (
                            <span className={Classes.TEXT_MUTED}>nobody decided in time</span>
                          )
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </HTMLTable>
          )}
        </section>
      </div>
    );
  }

  return (
    <div className="attest-users attest-approvals">
      <div className="attest-toolbar">
        <h1 className={`${Classes.HEADING} attest-view-title`}>Approvals</h1>
        <span className={Classes.TEXT_MUTED}>
          Tenant-wide revocation, bulk member removal and platform roles need a second person; requests expire after {APPROVAL_POLICY.requestTtl / 3600} h.
        </span>
        <div className="attest-toolbar-spacer" />
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          text="Refresh"
          loading={list.status === 'loading' && items !== undefined}
          onClick={() => void useApprovalsStore.getState().load()}
          data-testid="approvals-refresh"
        />
        {items && (
          <ExportCsvButton
            table="approvals"
            columns={approvalCsvColumns(names, now)}
            rows={() => [...toDecide, ...mine]}
            describe={(n) => `${n} ${n === 1 ? 'request' : 'requests'} (to decide and yours)`}
            testId="approvals-export"
          />
        )}
      </div>
      {items && list.status === 'error' && (
        <Callout compact intent="warning" className="attest-inline-callout">
          Showing the requests from the last successful load. Refreshing failed: <code>{list.error.code}</code> {adviceFor(list.error.code)}
        </Callout>
      )}
      <div className="attest-split">
        <div className="attest-split-main attest-approvals-scroll">{body}</div>
      </div>
    </div>
  );
};

export default ApprovalsView;
