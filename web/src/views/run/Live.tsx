import { useEffect, useState } from 'react';
import { api, ApiError, ENDED, type Status } from '../../api';
import { badgeClass, duration, num } from '../format';

const STEPS: { key: string; label: string; phases: string[] }[] = [
  { key: 'prepare', label: 'Corpus', phases: ['starting', 'preparing'] },
  { key: 'clarify', label: 'Clarify', phases: ['triage', 'clarifying', 'awaiting_answers'] },
  { key: 'plan', label: 'Plan', phases: ['planning', 'awaiting_plan_approval'] },
  { key: 'search', label: 'Search', phases: ['searching'] },
  { key: 'write', label: 'Write', phases: ['writing', 'verifying'] },
  {
    key: 'render',
    label: 'Render',
    phases: ['rendering', 'awaiting_write_approval', 'awaiting_tool_approval', 'applying_write'],
  },
  { key: 'done', label: 'Done', phases: ['completed'] },
];

export function Stepper({ phase }: { phase: string }) {
  const at = STEPS.findIndex((s) => s.phases.includes(phase));
  const ended = phase === 'failed' || phase === 'cancelled' || phase === 'rejected';
  return (
    <ol className="stepper" data-testid="stepper" aria-label="phases">
      {STEPS.map((s, i) => {
        const state = phase === 'completed' || i < at ? 'done' : i === at ? 'current' : 'todo';
        return (
          <li
            key={s.key}
            className={`step ${state}${ended && i === at ? ' ended' : ''}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span className="dot">{state === 'done' ? '✓' : i + 1}</span>
            <span className="label">{s.label}</span>
          </li>
        );
      })}
    </ol>
  );
}

function Elapsed({ since, running }: { since: string; running: boolean }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  return <>{duration(now - Date.parse(since))}</>;
}

export function Clarify({ status }: { status: Status }) {
  const [answers, setAnswers] = useState<string[]>(() => status.questions.map(() => ''));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const send = async (skip: boolean) => {
    setBusy(true);
    setError(null);
    try {
      if (skip) await api(`/api/research/${encodeURIComponent(status.workflowId)}/skip`, { method: 'POST' });
      else
        await api(`/api/research/${encodeURIComponent(status.workflowId)}/answers`, {
          method: 'POST',
          json: { answers },
        });
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card clarify" data-testid="clarify">
      <h2>A few questions before the research</h2>
      <p className="muted">
        Your answers steer the plan. The run waits for them
        {status.clarificationDeadline
          ? ` until ${new Date(status.clarificationDeadline).toLocaleString()}`
          : ''}
        , then proceeds with “no preference”.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send(false);
        }}
      >
        {status.questions.map((q, i) => (
          <div className="qa" key={i}>
            <div className="bubble agent">{q}</div>
            <textarea
              className="bubble you"
              rows={2}
              maxLength={1000}
              required
              value={answers[i] ?? ''}
              onChange={(e) => setAnswers((a) => a.map((v, j) => (j === i ? e.target.value : v)))}
              placeholder="Your answer (or “no preference”)"
              aria-label={`answer ${i + 1}`}
              data-testid={`answer-${i}`}
            />
          </div>
        ))}
        {error && (
          <div className="alert error" role="alert">
            {error.message}
            {error.hint && <div className="hint">{error.hint}</div>}
          </div>
        )}
        <div className="actions">
          <button
            type="button"
            className="ghost"
            disabled={busy}
            onClick={() => void send(true)}
            data-testid="skip"
          >
            Skip questions
          </button>
          <button
            type="submit"
            className="primary"
            disabled={busy || answers.some((a) => !a.trim())}
            data-testid="send-answers"
          >
            {busy ? 'Sending…' : 'Send answers'}
          </button>
        </div>
      </form>
    </section>
  );
}

export function Live({ status }: { status: Status }) {
  const done = status.searches.filter((s) => s.state === 'done').length;
  return (
    <div className="grid" data-testid="live">
      <section className="card stats">
        <div>
          <span className="k">Model calls</span>
          <span className="v" data-testid="model-calls">
            {num(status.usage.requests)}
          </span>
        </div>
        <div>
          <span className="k">Tokens</span>
          <span className="v">{num(status.usage.totalTokens)}</span>
          <span className="s">
            {num(status.usage.inputTokens)} in · {num(status.usage.outputTokens)} out
          </span>
        </div>
        <div>
          <span className="k">Searches</span>
          <span className="v">
            {done}/{status.searches.length}
          </span>
        </div>
        <div>
          <span className="k">Elapsed</span>
          <span className="v">
            <Elapsed since={status.startedAt} running={!ENDED(status.execution)} />
          </span>
        </div>
      </section>
      <section className="card">
        <h2>In flight</h2>
        {status.pendingActivities.length === 0 ? (
          <p className="muted">
            {ENDED(status.execution)
              ? 'Nothing — the run has ended.'
              : 'No activity running right now (the workflow is deciding or waiting).'}
          </p>
        ) : (
          <ul className="list" data-testid="pending">
            {status.pendingActivities.map((a, i) => (
              <li key={i} className={a.attempt > 1 ? 'retrying' : ''}>
                <span className="mono">{a.activityType}</span>
                <span className={badgeClass(a.attempt > 1 ? 'retrying' : 'running')}>
                  {a.attempt > 1 ? `retrying · attempt ${a.attempt}` : 'running'}
                </span>
                {a.lastFailure && <div className="error-text">last failure: {a.lastFailure}</div>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card span2">
        <h2>Searches</h2>
        {status.searches.length === 0 ? (
          <p className="muted">The planner has not produced its search plan yet.</p>
        ) : (
          <ul className="list searches" data-testid="searches">
            {status.searches.map((s) => (
              <li key={s.index}>
                <div className="row between">
                  <span className="query">{s.query}</span>
                  <span className={badgeClass(s.state)}>{s.state}</span>
                </div>
                <div className="muted small">
                  {s.reason} · {s.found} passages{s.attempts > 1 ? ` · ${s.attempts} attempts` : ''}
                </div>
                {s.error && <div className="error-text">{s.error}</div>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {status.web && (
        <section className="card span2" data-testid="web-sources">
          <h2>Web</h2>
          <p className="small">
            Search provider: {status.web.provider ?? `none (${status.web.reason ?? 'not configured'})`}
          </p>
          {status.web.unread.length > 0 && (
            <ul className="list small">
              {status.web.unread.map((u, i) => (
                <li key={i}>
                  <span className="mono">{u.url}</span> <span className="muted">— not read: {u.reason}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {(status.errors.length > 0 || status.warnings.length > 0 || status.failure) && (
        <section className="card span2">
          <h2>Problems</h2>
          {status.failure && <div className="alert error">{status.failure}</div>}
          <ul className="list">
            {status.errors.map((e, i) => (
              <li key={`e${i}`} className="error-text">
                {e}
              </li>
            ))}
            {status.warnings.slice(0, 10).map((w, i) => (
              <li key={`w${i}`} className="muted small">
                {w}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
