import { useState } from 'react';
import { api, ApiError, ENDED, type Status } from '../../api';
import type {
  ReviewDecision,
  RollbackRecord,
  ToolCallReview,
  WriteReview,
} from '../../../../src/common/research-types';
import './review.css';

type Review = NonNullable<Status['review']>;

/** The review points of a run (docs/review.md): the plan, the diff of the write, tool calls, and every decision. */
export function Review({ status }: { status: Status }) {
  const review = status.review;
  if (!review) return null;
  const running = !ENDED(status.execution);
  const pendingCalls = review.calls.filter((c) => c.state === 'pending' && c.callId !== review.write?.callId);
  return (
    <>
      {running && review.plan?.state === 'pending' && <PlanReview status={status} review={review} />}
      {running && review.write?.state === 'pending' && (
        <WriteReviewCard status={status} write={review.write} />
      )}
      {running && pendingCalls.map((call) => <ToolCallCard key={call.callId} status={status} call={call} />)}
      {!running && review.write && <WriteOutcome status={status} write={review.write} />}
      {review.decisions.length > 0 && <Decisions decisions={review.decisions} />}
    </>
  );
}

function useDecision(id: string) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const send = async <T,>(
    action: 'approve' | 'reject' | 'rollback',
    json: Record<string, unknown>
  ): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await api<T>(`/api/research/${encodeURIComponent(id)}/${action}`, { method: 'POST', json });
    } catch (err) {
      setError(err as ApiError);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, send };
}

function Problem({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div className="alert error" role="alert">
      {error.message}
      {error.hint && <div className="hint">{error.hint}</div>}
    </div>
  );
}

function Deadline({ at, then }: { at?: string; then: string }) {
  return at ? (
    <p className="muted small">
      Waits until {new Date(at).toLocaleString()}, then {then}.
    </p>
  ) : null;
}

function PlanReview({ status, review }: { status: Status; review: Review }) {
  const plan = review.plan!;
  const [queries, setQueries] = useState(() => plan.proposed.map((p) => p.query));
  const [reason, setReason] = useState('');
  const { busy, error, send } = useDecision(status.workflowId);
  const edited =
    queries.some((q, i) => q !== plan.proposed[i]?.query) || queries.length !== plan.proposed.length;
  const searches = queries.map((q) => q.trim()).filter((q) => q.length > 0);
  return (
    <section className="card review" data-testid="plan-review">
      <h2>Approve the search plan</h2>
      <p className="muted">
        Nothing is searched until you decide. Edit the queries to run other searches instead.
      </p>
      <Deadline
        at={plan.deadline}
        then={review.onTimeout === 'proceed' ? 'proceeds with this plan' : 'ends the run as rejected'}
      />
      <ol className="plan-list">
        {queries.map((q, i) => (
          <li key={i}>
            <input
              type="text"
              value={q}
              maxLength={200}
              aria-label={`search ${i + 1}`}
              data-testid={`plan-query-${i}`}
              onChange={(e) => setQueries((all) => all.map((v, j) => (j === i ? e.target.value : v)))}
            />
            {plan.proposed[i] && <div className="muted small">{plan.proposed[i]!.reason}</div>}
            <button
              type="button"
              className="ghost small"
              onClick={() => setQueries((all) => all.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="ghost small"
        disabled={queries.length >= 8}
        onClick={() => setQueries((all) => [...all, ''])}
      >
        Add a search
      </button>
      <ReasonField value={reason} onChange={setReason} />
      <Problem error={error} />
      <div className="actions">
        <button
          type="button"
          className="ghost danger"
          disabled={busy}
          data-testid="plan-reject"
          onClick={() => void send('reject', reason ? { reason } : {})}
        >
          Reject (no search)
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || searches.length === 0}
          data-testid="plan-approve"
          onClick={() =>
            void send('approve', { ...(edited ? { plan: searches } : {}), ...(reason ? { reason } : {}) })
          }
        >
          {edited ? 'Approve the edited plan' : 'Approve the plan'}
        </button>
      </div>
    </section>
  );
}

function ReasonField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <label className="field">
      <span className="small muted">Reason (optional, kept with the decision)</span>
      <input
        type="text"
        value={value}
        maxLength={1000}
        onChange={(e) => onChange(e.target.value)}
        data-testid="review-reason"
      />
    </label>
  );
}

/** A unified diff, line by line, coloured by what each line does. */
function Diff({ text }: { text: string }) {
  return (
    <pre className="diff" data-testid="diff">
      {text.split('\n').map((line, i) => (
        <span
          key={i}
          className={
            line.startsWith('@@')
              ? 'hunk'
              : line.startsWith('+') && !line.startsWith('+++')
                ? 'add'
                : line.startsWith('-') && !line.startsWith('---')
                  ? 'del'
                  : ''
          }
        >
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

function WriteReviewCard({ status, write }: { status: Status; write: WriteReview }) {
  const [reason, setReason] = useState('');
  const { busy, error, send } = useDecision(status.workflowId);
  const diff = write.diff!;
  const call = status.review?.calls.find((c) => c.callId === write.callId);
  return (
    <section className="card review" data-testid="write-review">
      <h2>Approve the write</h2>
      <p>
        <span className="mono">{write.path}</span>{' '}
        <span className="muted small">
          {diff.before ? `replaces ${diff.before.bytes} bytes` : 'a new file'} · +{diff.added} −{diff.removed}
          {diff.truncated ? ' · diff cut' : ''}
        </span>
      </p>
      <Deadline at={call?.deadline} then="is rejected (nothing is written without a decision)" />
      <Diff text={diff.diff} />
      <p className="muted small">
        If the file changes before the write, nothing is written and the new diff is shown here again. Undo
        later with Roll back.
      </p>
      <ReasonField value={reason} onChange={setReason} />
      <Problem error={error} />
      <div className="actions">
        <button
          type="button"
          className="ghost danger"
          disabled={busy}
          data-testid="write-reject"
          onClick={() => void send('reject', { callId: write.callId, ...(reason ? { reason } : {}) })}
        >
          Reject (write nothing)
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="write-approve"
          onClick={() => void send('approve', { callId: write.callId, ...(reason ? { reason } : {}) })}
        >
          Approve and write
        </button>
      </div>
    </section>
  );
}

function ToolCallCard({ status, call }: { status: Status; call: ToolCallReview }) {
  const { busy, error, send } = useDecision(status.workflowId);
  return (
    <section className="card review" data-testid="tool-review">
      <h2>
        Approve a tool call: <span className="mono">{call.tool}</span>
      </h2>
      <p className="muted small">
        Asked by the {call.agent} agent · call {call.callId}
      </p>
      <Deadline at={call.deadline} then="is rejected" />
      <pre className="diff">{call.arguments}</pre>
      <Problem error={error} />
      <div className="actions">
        <button
          type="button"
          className="ghost danger"
          disabled={busy}
          onClick={() => void send('reject', { callId: call.callId })}
        >
          Reject
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void send('approve', { callId: call.callId })}
        >
          Approve
        </button>
      </div>
    </section>
  );
}

function WriteOutcome({ status, write }: { status: Status; write: WriteReview }) {
  const { busy, error, send } = useDecision(status.workflowId);
  // The run has ended, so its live status no longer changes: the rollback's answer is shown as it comes.
  const [rolled, setRolled] = useState<RollbackRecord | undefined>();
  const done = rolled ?? write.written?.rolledBack;
  const changed = error?.hint?.includes('--force');
  return (
    <section className="card review" data-testid="write-outcome">
      <h2>Write</h2>
      <p>
        <span className="mono">{write.path}</span> —{' '}
        <span data-testid="write-state">{done ? 'rolled back' : write.state}</span>
        {write.error && <span className="error-text"> {write.error}</span>}
      </p>
      {done && (
        <p className="small">
          {done.action === 'removed' ? 'Removed (the run had created it)' : 'Previous content restored'} by{' '}
          {done.by} on {new Date(done.at).toLocaleString()}
          {done.forced ? ' (forced over later changes)' : ''}.
        </p>
      )}
      <Problem error={error} />
      {write.state === 'written' && !done && (
        <div className="actions">
          <button
            type="button"
            className="ghost danger"
            disabled={busy}
            data-testid="rollback"
            onClick={() => {
              if (!window.confirm(`Restore ${write.path} as it was before this run wrote it?`)) return;
              void send<{ rolledBack?: RollbackRecord }>('rollback', changed ? { force: true } : {}).then(
                (record) => setRolled(record?.rolledBack)
              );
            }}
          >
            {changed ? 'Roll back anyway' : 'Roll back'}
          </button>
        </div>
      )}
    </section>
  );
}

function Decisions({ decisions }: { decisions: ReviewDecision[] }) {
  return (
    <section className="card review" data-testid="decisions">
      <h2>Decisions</h2>
      <table className="decisions small">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((d, i) => (
            <tr key={i}>
              <td className="mono">{new Date(d.at).toLocaleString()}</td>
              <td className="mono">{d.by}</td>
              <td>
                {d.stage} {d.decision}
                {d.detail ? ` — ${d.detail}` : ''}
                {d.reason ? <span className="muted"> ({d.reason})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
