import { useState } from 'react';
import { api, ENDED } from '../api';
import { badgeClass } from './format';
import { Clarify, Live, Stepper } from './run/Live';
import { useLiveStatus } from './run/live-status';
import { Report } from './run/Report';
import { Review } from './run/Review';
import { Conversation } from './run/Conversation';
import { TimelineView } from './TimelineView';

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
              {status.phase.replace(/_/g, ' ')}
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
      <Review status={status} />
      {shown === 'live' && <Live status={status} />}
      {shown === 'report' &&
        (completed ? (
          <>
            <Report id={id} status={status} />
            <Conversation id={id} />
          </>
        ) : (
          <p className="card muted">
            The report appears here when the run completes (now: {status.phase.replace(/_/g, ' ')}).
          </p>
        ))}
      {shown === 'timeline' && <TimelineView id={id} running={running} />}
    </div>
  );
}
