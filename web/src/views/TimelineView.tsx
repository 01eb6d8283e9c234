import { useEffect, useState } from 'react';
import { api, type Span, type Timeline, type TimelineEntry } from '../api';
import type { ConversationResponse } from '../../../src/common/conversation-types';
import type { PayloadField } from '../../../src/common/timeline-types';
import { badgeClass, duration, num } from './format';
import { HistorySize } from './timeline/HistorySize';
import { PayloadChip, PayloadViewer } from './timeline/PayloadViewer';
import './timeline/timeline.css';

function SpanRow({ span }: { span: Span }) {
  const detail = span.input || span.output;
  const head = (
    <>
      <span className={`kind k-${span.type}`}>{span.type}</span>
      <span className="mono">{span.name}</span>
      {span.attempt && span.attempt > 1 && <span className="badge warn">attempt {span.attempt}</span>}
      {span.tokens && (
        <span className="muted small">
          {num(span.tokens.input)} in / {num(span.tokens.output)} out tokens
        </span>
      )}
      <span className="muted small">{duration(span.durationMs)}</span>
      {span.error && <span className="error-text small">{span.error}</span>}
    </>
  );
  if (!detail) return <li className="span">{head}</li>;
  return (
    <li className="span">
      <details>
        <summary>{head}</summary>
        {span.input && (
          <>
            <div className="k small">input</div>
            <pre className="io">{span.input}</pre>
          </>
        )}
        {span.output && (
          <>
            <div className="k small">output</div>
            <pre className="io">{span.output}</pre>
          </>
        )}
      </details>
    </li>
  );
}

export function TimelineView({ id, running }: { id: string; running: boolean }) {
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState('');
  const [showAgents, setShowAgents] = useState(true);
  // Whose timeline is shown: the research run, or the follow-up conversation about its report.
  const [subject, setSubject] = useState(id);
  const [conversationId, setConversationId] = useState<string | null>(null);
  // A run of the chain other than the latest, when one was picked.
  const [runId, setRunId] = useState<string | undefined>(undefined);
  const [open, setOpen] = useState<{ entry: TimelineEntry; field: PayloadField } | null>(null);
  const live = subject === id ? running : timeline?.execution === 'RUNNING';
  useEffect(() => {
    // Another run opened in the same view: start from its own timeline.
    setTimeline(null);
    setSubject(id);
    setRunId(undefined);
    setConversationId(null);
  }, [id]);
  useEffect(() => {
    let alive = true;
    api<ConversationResponse>(`/api/research/${encodeURIComponent(id)}/conversation`)
      .then((c) => alive && c.execution !== 'NONE' && setConversationId(c.conversationId))
      .catch(() => undefined); // no conversation (or none readable): the research run only
    return () => {
      alive = false;
    };
  }, [id]);
  useEffect(() => {
    let alive = true;
    const query = runId ? `?runId=${encodeURIComponent(runId)}` : '';
    const load = () =>
      api<Timeline>(`/api/research/${encodeURIComponent(subject)}/timeline${query}`)
        .then((t) => alive && setTimeline(t))
        .catch((e: Error) => alive && setError(e.message));
    void load();
    const timer = live ? setInterval(load, 2000) : undefined;
    return () => {
      alive = false;
      if (timer) clearInterval(timer);
    };
  }, [subject, live, runId]);
  const show = (workflowId: string) => {
    if (workflowId === subject) return;
    setTimeline(null);
    setError('');
    setRunId(undefined);
    setSubject(workflowId);
  };
  if (error && !timeline) return <div className="alert error">{error}</div>;
  if (!timeline) return <p className="muted">Loading the event history…</p>;
  const t0 = timeline.entries.length ? Date.parse(timeline.entries[0]!.time) : 0;
  const entries = timeline.entries.filter((e) => showAgents || e.source === 'history');
  return (
    <section className="card timeline" data-testid="timeline">
      <div className="row between wrap gap">
        <h2>Timeline</h2>
        <div className="row gap wrap small">
          <span className="muted">
            {timeline.entries.filter((e) => e.source === 'history').length} durable steps · {timeline.spans}{' '}
            spans
          </span>
          <label className="choice">
            <input type="checkbox" checked={showAgents} onChange={(e) => setShowAgents(e.target.checked)} />{' '}
            agent spans
          </label>
          {timeline.uiLink && (
            <a href={timeline.uiLink} target="_blank" rel="noreferrer">
              Event history in Temporal UI ↗
            </a>
          )}
        </div>
      </div>
      {conversationId && (
        <div className="row small subject" data-testid="timeline-subject">
          <button className={`link ${subject === id ? 'active' : ''}`} onClick={() => show(id)}>
            research run
          </button>
          <button
            className={`link ${subject === conversationId ? 'active' : ''}`}
            onClick={() => show(conversationId)}
            data-testid="timeline-conversation"
          >
            follow-up conversation
          </button>
        </div>
      )}
      {timeline.history && (
        <HistorySize history={timeline.history} chain={timeline.chain} onSelect={(r) => setRunId(r)} />
      )}
      <ol className="entries">
        {entries.map((e, i) => (
          <li
            key={i}
            className={`entry ${e.source} s-${e.status}`}
            data-kind={e.kind}
            data-testid="timeline-entry"
          >
            <div className="when mono small">+{((Date.parse(e.time) - t0) / 1000).toFixed(1)}s</div>
            <div className="body">
              <div className="row wrap gap">
                <span className={`kind k-${e.kind}`}>{e.kind}</span>
                <strong className="mono">{e.title}</strong>
                {e.activityId && <span className="muted small">#{e.activityId}</span>}
                <span className={badgeClass(e.status)}>{e.status.replace(/_/g, ' ')}</span>
                {e.durationMs !== undefined && <span className="muted small">{duration(e.durationMs)}</span>}
                {e.attempt !== undefined && e.attempt > 1 && (
                  <span className="badge warn">attempt {e.attempt}</span>
                )}
                {e.uiLink && e.source === 'history' && (
                  <a
                    className="small ext"
                    href={e.uiLink}
                    target="_blank"
                    rel="noreferrer"
                    title="open in the Temporal Web UI"
                  >
                    Temporal ↗
                  </a>
                )}
              </div>
              {e.payloads && e.payloads.length > 0 && (
                <div className="payloads">
                  {e.payloads.map((f) => (
                    <PayloadChip
                      key={`${f.eventId}-${f.field}`}
                      field={f}
                      onOpen={() => setOpen({ entry: e, field: f })}
                    />
                  ))}
                </div>
              )}
              {e.lastFailure && <div className="error-text small">retried after: {e.lastFailure}</div>}
              {e.events.some(
                (ev) =>
                  ev.type === 'retried' ||
                  ev.type === 'retrying' ||
                  ev.type === 'failed' ||
                  ev.type === 'timed_out'
              ) && (
                <ul className="events small">
                  {e.events
                    .filter((ev) => ev.detail)
                    .map((ev, j) => (
                      <li key={j}>
                        <span className="muted">{ev.type}</span> {ev.detail}
                      </li>
                    ))}
                </ul>
              )}
              {e.spans.length > 0 &&
                !(e.source === 'trace' && e.spans.length === 1 && e.kind === 'agent') && (
                  <ul className="spans">
                    {e.spans.map((s, j) => (
                      <SpanRow key={j} span={s} />
                    ))}
                  </ul>
                )}
            </div>
          </li>
        ))}
      </ol>
      {open && (
        <PayloadViewer
          workflowId={subject}
          title={`${open.entry.title}${open.entry.activityId ? ` #${open.entry.activityId}` : ''}`}
          field={open.field}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
