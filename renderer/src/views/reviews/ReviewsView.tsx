import { Button, Callout, Classes, Dialog, DialogBody, FormGroup, HTMLSelect, HTMLTable, InputGroup, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import type { CsvColumn } from '../../components/csvExport';
import { AddIcon, LockIcon, RefreshIcon, TickCircleIcon } from '@blueprintjs/icons';
import { useEffect, useMemo, useState } from 'react';
import type { AccessReviewItem, KeepUndecidedResult, ReviewDecision } from '../../../../shared/access-reviews/schemas';
import { TENANT_ROLE_LABELS, TENANT_ROLES, type TenantRole } from '../../../../shared/identity/roles';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { useAuthStore } from '../../auth/authStore';
import { allowed } from '../../auth/grants';
import { adviceFor } from '../../components/errorAdvice';
import { toIpcError } from '../../platform/ipcError';
import { useTenantsStore } from '../tenants/tenantsStore';
import { campaignState, closeBlocker, defaultDueDate, endOfDay, keepable, progress, sortCampaigns } from './reviewsModel';
import { useReviewsStore } from './reviewsStore';
import { DateTime } from '../../components/DateTime';
import { PersonLink } from '../../components/PersonLink';
import { DateField } from '../../components/DateField';
import { parseDayText } from '../../platform/dateTimeInput';

const day = (iso: string) => <DateTime value={iso} style="date" />;
const STATE_INTENT = { overdue: 'danger', open: 'primary', closed: 'none' } as const;
const DECISION_LABEL: Record<ReviewDecision, string> = { keep: 'Keep', change_role: 'Change role', remove: 'Remove' };
const ERROR_TEXT: Record<string, string> = {
  access_review_incomplete: 'Every membership needs a decision before the campaign can close.',
  access_review_closed: 'This campaign is closed; its decisions are final.',
  approval_self: 'You decided removals or role upgrades in this campaign: another owner or admin must close it.',
  last_owner: 'Closing would leave the tenant without an active owner; keep one.',
  review_self: 'Nobody decides their own access: another owner, admin or reviewer decides this one.',
  step_up_required: 'This needs a current authenticator code; nothing was done.',
};
const explain = (e: IpcErrorShape) => ERROR_TEXT[e.code] ?? `${e.message} ${adviceFor(e.code)}`;

/** The account beside the decision: last sign-in and MFA, as they are now. */
const AccountCell = ({ item }: { item: AccessReviewItem }) => (
  <td data-testid="review-account" data-mfa={item.mfaEnrolled === null ? '' : String(item.mfaEnrolled)}>
    <div>{item.lastSignInAt ? <>Signed in {day(item.lastSignInAt)}</> : <span className={Classes.TEXT_MUTED}>Never signed in</span>}</div>
    {item.mfaEnrolled === null ? (
      <Tag minimal>invited</Tag>
    ) : (
      <Tag minimal intent={item.mfaEnrolled ? 'success' : 'warning'}>
        {item.mfaEnrolled ? 'MFA' : 'No MFA'}
      </Tag>
    )}
  </td>
);

/** One click keeps every undecided membership but one's own; the result says how many and what is left. */
const KeepAllButton = ({ count }: { count: number }) => {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<KeepUndecidedResult | null>(null);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const run = () => {
    setBusy(true);
    setError(null);
    useReviewsStore
      .getState()
      .keepUndecided('')
      .then(setResult)
      .catch((e: unknown) => setError(toIpcError(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      {count > 0 && (
        <Button size="small" icon={<TickCircleIcon />} text={`Keep all undecided (${count})`} loading={busy} onClick={run} data-testid="review-keep-all" title="Decide Keep for every membership not yet decided, except your own" />
      )}
      {result && (
        <span className={Classes.TEXT_MUTED} data-testid="review-keep-all-result" role="status">
          Kept {result.kept} membership{result.kept === 1 ? '' : 's'}
          {result.left > 0 ? '; yours is left for another owner, admin or reviewer.' : '.'}
        </span>
      )}
      {error && (
        <Callout compact intent="danger" data-testid="review-keep-all-error" data-code={error.code}>
          {explain(error)}
        </Callout>
      )}
    </>
  );
};

/** One membership's decision: keep / change role (to) / remove, with a comment. */
const REVIEW_CSV_COLUMNS: readonly CsvColumn<AccessReviewItem>[] = [
  { header: 'Member', value: (i) => i.displayName || i.email },
  { header: 'Email', value: (i) => i.email },
  { header: 'Role', value: (i) => TENANT_ROLE_LABELS[i.role] },
  { header: 'Decision', value: (i) => (i.decision ? DECISION_LABEL[i.decision] : 'Undecided') },
  { header: 'New role', value: (i) => (i.newRole ? TENANT_ROLE_LABELS[i.newRole] : null) },
  { header: 'Comment', value: (i) => i.comment },
  { header: 'Decided by', value: (i) => i.decidedBy?.email ?? null },
  { header: 'Decided', value: (i) => i.decidedAt },
  { header: 'Outcome', value: (i) => i.outcome },
  { header: 'User ID', value: (i) => i.userId },
];

const ItemRow = ({ item, editable }: { item: AccessReviewItem; editable: boolean }) => {
  const [decision, setDecision] = useState<ReviewDecision | ''>(item.decision ?? '');
  const [newRole, setNewRole] = useState<TenantRole>(item.newRole ?? item.role);
  const [comment, setComment] = useState(item.comment ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const save = () => {
    if (decision === '') return;
    setBusy(true);
    setError(null);
    useReviewsStore
      .getState()
      .decide(item.userId, decision, decision === 'change_role' ? newRole : undefined, comment.trim())
      .catch((e: unknown) => setError(toIpcError(e)))
      .finally(() => setBusy(false));
  };
  const saved = item.decision !== null && item.decision === decision && (decision !== 'change_role' || item.newRole === newRole) && (item.comment ?? '') === comment.trim();
  return (
    <tr data-testid="review-item" data-email={item.email} data-decision={item.decision ?? ''} data-outcome={item.outcome ?? ''}>
      <td>
        <div className="attest-cell-strong">
          <PersonLink userId={item.userId} name={item.displayName} email={item.email} />
        </div>
        <div className={Classes.TEXT_MUTED}>{item.email}</div>
      </td>
      <td>{TENANT_ROLE_LABELS[item.role]}</td>
      <AccountCell item={item} />
      {editable ? (
        <>
          <td>
            <div className="attest-review-decision">
              <HTMLSelect
                aria-label={`Decision for ${item.email}`}
                value={decision}
                onChange={(e) => setDecision(e.currentTarget.value as ReviewDecision | '')}
                data-testid="review-decision"
                options={[{ value: '', label: 'Undecided' }, ...(['keep', 'change_role', 'remove'] as const).map((d) => ({ value: d, label: DECISION_LABEL[d] }))]}
              />
              {decision === 'change_role' && (
                <HTMLSelect
                  aria-label={`New role for ${item.email}`}
                  value={newRole}
                  onChange={(e) => setNewRole(e.currentTarget.value as TenantRole)}
                  data-testid="review-new-role"
                  options={TENANT_ROLES.map((r) => ({ value: r, label: TENANT_ROLE_LABELS[r] }))}
                />
              )}
            </div>
          </td>
          <td>
            <InputGroup small placeholder="Comment" value={comment} maxLength={1000} onChange={(e) => setComment(e.currentTarget.value)} data-testid="review-comment" />
            {error && (
              <Callout compact intent="danger" data-testid="review-item-error" data-code={error.code}>
                {explain(error)}
              </Callout>
            )}
          </td>
          <td>
            <Button
              size="small"
              intent={saved ? 'success' : 'primary'}
              variant={saved ? 'minimal' : 'solid'}
              icon={saved ? <TickCircleIcon /> : undefined}
              text={saved ? 'Saved' : 'Save'}
              disabled={decision === '' || saved || busy}
              loading={busy}
              onClick={save}
              data-testid="review-save"
            />
          </td>
        </>
      ) : (
        <>
          <td>
            {item.decision ? DECISION_LABEL[item.decision] : '—'}
            {item.newRole && ` → ${TENANT_ROLE_LABELS[item.newRole]}`}
            {item.decidedBy && (
              <div className={Classes.TEXT_MUTED}>
                by <PersonLink userId={item.decidedBy.userId} name={item.decidedBy.email} />
              </div>
            )}
          </td>
          <td>{item.comment ?? ''}</td>
          <td>{item.outcome && <Tag minimal>{item.outcome.replace('_', ' ')}</Tag>}</td>
        </>
      )}
    </tr>
  );
};

const StartDialog = ({ tenantId, tenantName, onClose }: { tenantId: TenantId; tenantName: string; onClose(): void }) => {
  const [title, setTitle] = useState(`Access review — ${tenantName}`);
  const [due, setDue] = useState(() => defaultDueDate(new Date()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const dueDay = parseDayText(due);
  const start = () => {
    if (!dueDay.ok) return;
    setBusy(true);
    setError(null);
    useReviewsStore
      .getState()
      .start(tenantId, title.trim(), endOfDay(dueDay.day))
      .then(onClose, (e: unknown) => setError(toIpcError(e)))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog isOpen title="Start an access review" onClose={onClose}>
      <DialogBody>
        <p data-testid="review-start-dialog">Every membership of {tenantName} is listed for a decision: keep, change role or remove. Nothing changes until the campaign closes.</p>
        <FormGroup label="Title" labelFor="review-title">
          <InputGroup id="review-title" value={title} maxLength={200} onChange={(e) => setTitle(e.currentTarget.value)} data-testid="review-title" />
        </FormGroup>
        <FormGroup label="Due" labelFor="review-due" intent={dueDay.ok ? 'none' : 'danger'} helperText={dueDay.ok ? 'Quarterly by default.' : `Due: ${dueDay.message}.`}>
          <DateField id="review-due" value={due} intent={dueDay.ok ? 'none' : 'danger'} onChange={setDue} data-testid="review-due" />
        </FormGroup>
        {error && (
          <Callout compact intent="danger" data-code={error.code} data-testid="review-start-error">
            {explain(error)}
          </Callout>
        )}
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Start review', disabled: title.trim() === '' || !dueDay.ok, onConfirm: start, testId: 'review-start-confirm' }} />
    </Dialog>
  );
};

const ReviewsView = () => {
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const tenantsLoad = useTenantsStore((s) => s.list);
  const selectedTenant = useTenantsStore((s) => s.selectedId);
  const { campaigns, error, open } = useReviewsStore();
  const [starting, setStarting] = useState(false);
  const [closeError, setCloseError] = useState<IpcErrorShape | null>(null);
  const [closing, setClosing] = useState(false);

  useEffect(() => {
    if (useTenantsStore.getState().list.status === 'idle') void useTenantsStore.getState().load();
  }, []);
  const tenants = useMemo(
    () => ('value' in tenantsLoad && tenantsLoad.value ? tenantsLoad.value.filter((t) => allowed(me, 'access_reviews.read', t.id)) : []),
    [tenantsLoad, me],
  );
  const tenant = tenants.find((t) => t.id === selectedTenant) ?? tenants[0];
  useEffect(() => {
    if (tenant) void useReviewsStore.getState().load(tenant.id);
  }, [tenant]);

  const canManage = tenant !== undefined && allowed(me, 'access_reviews.manage', tenant.id);
  const canDecide = tenant !== undefined && allowed(me, 'access_reviews.decide', tenant.id);
  const sorted = useMemo(() => sortCampaigns(campaigns ?? []), [campaigns]);
  const hasOpen = sorted.some((r) => r.status === 'open');

  if (!tenant) {
    return tenantsLoad.status !== 'ready' ? (
      <NonIdealState icon={<Spinner size={32} />} title="Loading tenants…" />
    ) : (
      <NonIdealState icon={<LockIcon size={48} />} iconMuted title="No tenant whose access reviews you may see" description="Access reviews need the Owner, Admin or Reviewer role in a tenant." />
    );
  }

  const openReview = open && open.review.tenantId === tenant.id ? open : null;
  const editable = openReview?.review.status === 'open' && canDecide;
  const blocker = openReview && me ? closeBlocker(openReview.items, me.user.id) : null;
  return (
    <div className="attest-users attest-reviews">
      <div className="attest-toolbar">
        <h1 className={`${Classes.HEADING} attest-view-title`}>Access reviews</h1>
        <div className="attest-toolbar-spacer" />
        <HTMLSelect
          aria-label="Tenant"
          className="attest-tenant-select"
          value={tenant.id}
          onChange={(e) => useTenantsStore.getState().select(e.currentTarget.value as TenantId)}
          data-testid="reviews-tenant"
          options={tenants.map((t) => ({ value: t.id, label: t.name }))}
        />
        {canManage && (
          <Button size="small" intent="primary" icon={<AddIcon />} text="Start review" disabled={hasOpen} title={hasOpen ? 'Close the open campaign first' : undefined} onClick={() => setStarting(true)} data-testid="reviews-start" />
        )}
        <Button size="small" variant="minimal" icon={<RefreshIcon />} text="Refresh" onClick={() => void useReviewsStore.getState().load(tenant.id)} data-testid="reviews-refresh" />
      </div>
      {error && (
        <Callout compact intent="danger" data-code={error.code}>
          <code>{error.code}</code> {error.message} {adviceFor(error.code)}
        </Callout>
      )}
      <div className="attest-split attest-reviews-split">
        <div className="attest-reviews-campaigns">
          {campaigns === null ? (
            <Spinner size={24} />
          ) : sorted.length === 0 ? (
            <p className={Classes.TEXT_MUTED}>No review campaigns yet. An owner or admin starts one; it is due quarterly by default.</p>
          ) : (
            <HTMLTable compact interactive className="attest-reviews-table" data-testid="reviews-campaigns">
              <thead>
                <tr>
                  <th>Campaign</th>
                  <th>Due</th>
                  <th>Progress</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((r) => {
                  const state = campaignState(r);
                  return (
                    <tr
                      key={r.id}
                      className={openReview?.review.id === r.id ? 'attest-row-selected' : undefined}
                      onClick={() => void useReviewsStore.getState().select(r.id)}
                      data-testid="reviews-campaign"
                      data-state={state}
                    >
                      <td className="attest-cell-strong">{r.title}</td>
                      <td>{day(r.dueAt)}</td>
                      <td>{progress(r)}</td>
                      <td>
                        <Tag minimal intent={STATE_INTENT[state]}>
                          {state}
                        </Tag>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </HTMLTable>
          )}
        </div>
        <div className="attest-reviews-detail" data-testid="review-detail">
          {openReview ? (
            <>
              <div className="attest-toolbar">
                <h2 className={`${Classes.HEADING} attest-section-title`}>{openReview.review.title}</h2>
                <span className={Classes.TEXT_MUTED}>
                  due {day(openReview.review.dueAt)} · {progress(openReview.review)}
                  {openReview.review.closedBy && ` · closed by ${openReview.review.closedBy.email}`}
                </span>
                <div className="attest-toolbar-spacer" />
                {editable && me && <KeepAllButton key={openReview.review.id} count={keepable(openReview.items, me.user.id)} />}
                {canManage && openReview.review.status === 'open' && blocker && (
                  <span className={`${Classes.TEXT_MUTED} attest-close-reason`} data-testid="review-close-reason">
                    {blocker}
                  </span>
                )}
                <ExportCsvButton
                  table="reviews"
                  scope={`${tenant.name} ${openReview.review.title}`}
                  columns={REVIEW_CSV_COLUMNS}
                  rows={() => openReview.items}
                  describe={(n) => `${n} ${n === 1 ? 'membership' : 'memberships'} with their decisions`}
                  testId="reviews-export"
                />
                {canManage && openReview.review.status === 'open' && (
                  <Button
                    size="small"
                    intent="danger"
                    text="Close and apply"
                    loading={closing}
                    disabled={blocker !== null}
                    title={blocker ?? 'Removals and role changes apply now, in one step'}
                    onClick={() => {
                      setClosing(true);
                      setCloseError(null);
                      useReviewsStore
                        .getState()
                        .close()
                        .catch((e: unknown) => setCloseError(toIpcError(e)))
                        .finally(() => setClosing(false));
                    }}
                    data-testid="review-close"
                  />
                )}
              </div>
              {closeError && !(closeError.code === 'access_review_incomplete' && openReview.review.counts.decided === openReview.review.counts.memberships) && (
                <Callout compact intent="danger" className="attest-inline-callout" data-testid="review-close-error" data-code={closeError.code}>
                  {explain(closeError)}
                </Callout>
              )}
              <HTMLTable compact striped className="attest-reviews-table">
                <thead>
                  <tr>
                    <th>Member</th>
                    <th>Role</th>
                    <th>Account now</th>
                    <th>Decision</th>
                    <th>Comment</th>
                    <th>{editable ? '' : 'Outcome'}</th>
                  </tr>
                </thead>
                <tbody>
                  {openReview.items.map((i) => (
                    <ItemRow key={`${i.userId}:${openReview.review.status}:${i.decision ?? ''}`} item={i} editable={editable} />
                  ))}
                </tbody>
              </HTMLTable>
            </>
          ) : (
            <NonIdealState iconMuted title="Select a campaign" description="Its memberships and decisions show here." />
          )}
        </div>
      </div>
      {starting && <StartDialog tenantId={tenant.id} tenantName={tenant.name} onClose={() => setStarting(false)} />}
    </div>
  );
};

export default ReviewsView;
