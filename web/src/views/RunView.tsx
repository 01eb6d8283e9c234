import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, ENDED, withToken, type Passage, type Result, type Status } from '../api';
import { renderReport } from '../markdown';
import { navigate } from '../router';
import { badgeClass, duration, num } from './format';
import { startRun } from './NewResearch';
import { TimelineView } from './TimelineView';

/** Live status of one run over SSE; reconnects on its own and resumes wherever the run is. */
function useLiveStatus(id: string): { status: Status | null; problem: string; connected: boolean } {
  const [status, setStatus] = useState<Status | null>(null);
  const [problem, setProblem] = useState('');
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const open = () => {
      source = new EventSource(withToken(`/api/research/${encodeURIComponent(id)}/events`));
      source.onopen = () => setConnected(true);
      source.addEventListener('status', (e) => {
        setStatus(JSON.parse((e as MessageEvent).data));
        setProblem('');
      });
      source.addEventListener('problem', (e) => setProblem(JSON.parse((e as MessageEvent).data).message));
      source.addEventListener('end', () => {
        done = true;
        source?.close();
        setConnected(false);
      });
      source.onerror = () => {
        source?.close();
        setConnected(false);
        if (done) return;
        // The stream ends with an error for unknown runs: ask once for a readable message.
        api<Status>(`/api/research/${encodeURIComponent(id)}`)
          .then((s) => {
            setStatus(s);
            if (ENDED(s.execution)) done = true;
          })
          .catch((err: Error) => setProblem(err.message))
          .finally(() => {
            if (!done) retry = setTimeout(open, 2000);
          });
      };
    };
    open();
    return () => {
      done = true;
      source?.close();
      if (retry) clearTimeout(retry);
    };
  }, [id]);
  return { status, problem, connected };
}

const STEPS: { key: string; label: string; phases: string[] }[] = [
  { key: 'prepare', label: 'Corpus', phases: ['starting', 'preparing'] },
  { key: 'clarify', label: 'Clarify', phases: ['triage', 'clarifying', 'awaiting_answers'] },
  { key: 'plan', label: 'Plan', phases: ['planning'] },
  { key: 'search', label: 'Search', phases: ['searching'] },
  { key: 'write', label: 'Write', phases: ['writing', 'verifying'] },
  { key: 'render', label: 'Render', phases: ['rendering'] },
  { key: 'done', label: 'Done', phases: ['completed'] },
];

function Stepper({ phase }: { phase: string }) {
  const at = STEPS.findIndex((s) => s.phases.includes(phase));
  const ended = phase === 'failed' || phase === 'cancelled';
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

function Clarify({ status }: { status: Status }) {
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

function Live({ status }: { status: Status }) {
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

function SourcePanel({
  id,
  citation,
  onClose,
}: {
  id: string;
  citation: { n: number; sourceId: string; title: string };
  onClose: () => void;
}) {
  const [passage, setPassage] = useState<Passage | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<Passage>(
      `/api/research/${encodeURIComponent(id)}/source?sourceId=${encodeURIComponent(citation.sourceId)}`
    )
      .then(setPassage)
      .catch((e: Error) => setError(e.message));
  }, [id, citation.sourceId]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="overlay" onClick={onClose}>
      <aside
        className="drawer"
        role="dialog"
        aria-label={`source ${citation.n}`}
        onClick={(e) => e.stopPropagation()}
        data-testid="source"
      >
        <div className="row between">
          <h3>
            [{citation.n}] {citation.title}
          </h3>
          <button className="ghost" onClick={onClose} aria-label="close">
            ✕
          </button>
        </div>
        <div className="mono small muted">{citation.sourceId}</div>
        {error && <div className="alert error">{error}</div>}
        {!passage && !error && <p className="muted">Loading the passage…</p>}
        {passage && (
          <pre className="passage" data-testid="passage">
            {passage.text}
          </pre>
        )}
      </aside>
    </div>
  );
}

function Report({ id, status }: { id: string; status: Status }) {
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [starting, setStarting] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    api<Result>(`/api/research/${encodeURIComponent(id)}/result`)
      .then(setResult)
      .catch((e: Error) => setError(e.message));
  }, [id]);
  const html = useMemo(
    () => (result ? renderReport(result.markdown, new Set(result.citations.map((c) => c.n))) : ''),
    [result]
  );
  if (error) return <div className="alert error">{error}</div>;
  if (!result) return <p className="muted">Loading the report…</p>;
  const cited = open === null ? undefined : result.citations.find((c) => c.n === open);
  const followUp = async (q: string) => {
    setStarting(q);
    try {
      const newId = await startRun({
        question: q,
        format: status.format,
        ...(result.corpusRoot ? { corpus: result.corpusRoot } : {}),
      });
      navigate(`#/runs/${encodeURIComponent(newId)}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="report-layout" data-testid="report">
      <article className="card report">
        <div className="row between wrap gap">
          <h1>{result.title}</h1>
          <div className="row gap">
            <a
              className="button"
              href={withToken(`/api/research/${encodeURIComponent(id)}/artifacts/report.pdf`)}
              download
              data-testid="download-pdf"
            >
              PDF
            </a>
            <a
              className="button ghost"
              href={withToken(`/api/research/${encodeURIComponent(id)}/artifacts/report.md`)}
              download
              data-testid="download-md"
            >
              Markdown
            </a>
          </div>
        </div>
        <p className="summary">{result.summary}</p>
        <div
          ref={ref}
          className="markdown"
          onClick={(e) => {
            const el = (e.target as HTMLElement).closest('[data-cite]');
            if (el) setOpen(Number(el.getAttribute('data-cite')));
          }}
          dangerouslySetInnerHTML={{ __html: html }}
        />
      </article>
      <aside className="side">
        <section className="card">
          <h2>Sources</h2>
          <ol className="sources">
            {result.citations.map((c) => (
              <li key={c.n}>
                <button className="link" onClick={() => setOpen(c.n)}>
                  [{c.n}] {c.title}
                </button>
                <div className="mono small muted">{c.sourceId}</div>
              </li>
            ))}
          </ol>
        </section>
        {result.verification && (
          <section className="card" data-testid="verification">
            <h2>Verification</h2>
            <p className="small">
              {result.verification.supported} of {result.verification.checked} cited claims are supported by
              their sources
              {result.verification.method === 'support-score+verifier'
                ? ' (support score and verifier agent)'
                : ' (support score)'}
              .
            </p>
            {result.verification.unsupported.length > 0 && (
              <ul className="small unsupported">
                {result.verification.unsupported.map((c, i) => (
                  <li key={i}>
                    <span>{c.claim}</span> <span className="muted">— {c.note}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        {result.followUps.length > 0 && (
          <section className="card">
            <h2>Follow-up questions</h2>
            <ul className="followups">
              {result.followUps.map((q) => (
                <li key={q}>
                  <button
                    className="followup"
                    disabled={Boolean(starting)}
                    onClick={() => void followUp(q)}
                    data-testid="followup"
                  >
                    {starting === q ? 'Starting…' : q}
                    <span aria-hidden> →</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </aside>
      {cited && <SourcePanel id={id} citation={cited} onClose={() => setOpen(null)} />}
    </div>
  );
}

export function RunView({ id, tab }: { id: string; tab: 'live' | 'report' | 'timeline' }) {
  const { status, problem, connected } = useLiveStatus(id);
  const base = `#/runs/${encodeURIComponent(id)}`;
  const completed = status?.phase === 'completed';
  // Once a run completes, show its report unless another tab was chosen explicitly.
  const shown = tab === 'live' && completed && !window.location.hash.endsWith('/live') ? 'report' : tab;
  const [cancelling, setCancelling] = useState(false);
  if (!status) {
    return (
      <section className="card">
        {problem ? (
          <div className="alert error">{problem}</div>
        ) : (
          <p className="muted">Connecting to {id}…</p>
        )}
      </section>
    );
  }
  const running = !ENDED(status.execution);
  return (
    <div className="run" data-testid="run" data-phase={status.phase} data-execution={status.execution}>
      <section className="card head">
        <div className="row between wrap gap">
          <div className="title">
            <h1>{status.question}</h1>
            <div className="muted small mono">{id}</div>
          </div>
          <div className="row gap wrap">
            <span className={badgeClass(status.phase)} data-testid="phase">
              {status.phase.replace('_', ' ')}
            </span>
            {running && (
              <span
                className={`live-dot ${connected ? 'on' : ''}`}
                title={connected ? 'live' : 'reconnecting'}
              />
            )}
            {status.uiLink && (
              <a className="button ghost small" href={status.uiLink} target="_blank" rel="noreferrer">
                Temporal UI ↗
              </a>
            )}
            {running && (
              <button
                className="ghost small danger"
                disabled={cancelling}
                onClick={() => {
                  if (!window.confirm('Cancel this research run?')) return;
                  setCancelling(true);
                  api(`/api/research/${encodeURIComponent(id)}/cancel`, {
                    method: 'POST',
                    json: { reason: 'cancelled from the web UI' },
                  }).catch(() => setCancelling(false));
                }}
              >
                Cancel
              </button>
            )}
          </div>
        </div>
        <Stepper phase={status.phase} />
        {problem && <div className="alert warn">{problem}</div>}
        <nav className="tabs">
          <a href={`${base}/live`} className={shown === 'live' ? 'active' : ''} data-testid="tab-live">
            Progress
          </a>
          <a
            href={`${base}/report`}
            className={shown === 'report' ? 'active' : ''}
            aria-disabled={!completed}
            data-testid="tab-report"
          >
            Report
          </a>
          <a
            href={`${base}/timeline`}
            className={shown === 'timeline' ? 'active' : ''}
            data-testid="tab-timeline"
          >
            Timeline
          </a>
        </nav>
      </section>
      {status.clarification === 'pending' && running && <Clarify status={status} />}
      {shown === 'live' && <Live status={status} />}
      {shown === 'report' &&
        (completed ? (
          <Report id={id} status={status} />
        ) : (
          <p className="card muted">
            The report appears here when the run completes (now: {status.phase.replace('_', ' ')}).
          </p>
        ))}
      {shown === 'timeline' && <TimelineView id={id} running={running} />}
    </div>
  );
}
