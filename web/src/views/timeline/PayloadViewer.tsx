import { useEffect, useState } from 'react';
import { api } from '../../api';
import type { PayloadContent, PayloadField, PayloadView } from '../../../../src/common/timeline-types';
import { num } from '../format';
import { bytes } from './bytes';

/** The most a view asks for after "show all" (the server's cap). */
const ALL_BYTES = 4 * 1024 * 1024;

/** "input · stored 12.3 KB": a step's input or result, and where it lives; opens the viewer. */
export function PayloadChip({ field, onOpen }: { field: PayloadField; onOpen: () => void }) {
  const size = field.payloads.reduce((sum, p) => sum + p.sizeBytes, 0);
  const stored = field.payloads.filter((p) => p.location === 'stored').length;
  const where = stored === 0 ? 'inline' : stored === field.payloads.length ? 'stored' : `${stored} stored`;
  return (
    <button
      className={`payload-chip small ${stored ? 'stored' : 'inline'}`}
      onClick={onOpen}
      data-testid="payload-open"
      data-field={field.field}
      data-location={stored ? 'stored' : 'inline'}
      title={`view the ${field.field} (event ${field.eventId})`}
    >
      {field.field} · {where} {bytes(size)} <span className="view">view</span>
    </button>
  );
}

function Content({ p }: { p: PayloadContent }) {
  if (p.state === 'missing')
    return (
      <div className="alert error" data-testid="payload-missing">
        <strong>Missing from the payload store.</strong> {p.note}
      </div>
    );
  if (p.state === 'unreadable') return <div className="alert warn">{p.note}</div>;
  return (
    <>
      {p.note && <div className={p.state === 'truncated' ? 'alert warn small' : 'hint'}>{p.note}</div>}
      <pre className="io payload-content" data-testid="payload-content">
        {p.state === 'ok' ? JSON.stringify(p.value, null, 2) : `${p.text ?? ''}…`}
      </pre>
    </>
  );
}

/** A drawer with the decoded payloads of one step's input or result, fetched from the API. */
export function PayloadViewer({
  workflowId,
  title,
  field,
  onClose,
}: {
  workflowId: string;
  title: string;
  field: PayloadField;
  onClose: () => void;
}) {
  const [view, setView] = useState<PayloadView | null>(null);
  const [error, setError] = useState('');
  const [all, setAll] = useState(false);
  useEffect(() => {
    let alive = true;
    const path = `/api/research/${encodeURIComponent(workflowId)}/payloads/${field.runId}/${field.eventId}/${field.field}`;
    api<PayloadView>(all ? `${path}?maxBytes=${ALL_BYTES}` : path)
      .then((v) => alive && setView(v))
      .catch((e: Error) => alive && setError(e.message));
    return () => {
      alive = false;
    };
  }, [workflowId, field.runId, field.eventId, field.field, all]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const cut = view?.payloads.some((p) => p.state === 'truncated');
  return (
    <div className="overlay" onClick={onClose}>
      <aside
        className="drawer payload-drawer"
        role="dialog"
        aria-label={`${field.field} of ${title}`}
        onClick={(e) => e.stopPropagation()}
        data-testid="payload-view"
      >
        <div className="row between">
          <h3>
            {field.field} of <span className="mono">{title}</span>
          </h3>
          <button className="ghost" onClick={onClose} aria-label="close">
            ✕
          </button>
        </div>
        <div className="small muted">
          event {field.eventId}
          {view && ` · ${view.eventType}`} · run <span className="mono">{field.runId}</span>
        </div>
        {error && <div className="alert error">{error}</div>}
        {!view && !error && <p className="muted">Loading…</p>}
        {view?.payloads.map((p) => (
          <section key={p.index} className="payload" data-testid="payload" data-state={p.state}>
            <div className="row wrap gap small">
              <span className={`badge ${p.location === 'stored' ? 'live' : ''}`}>{p.location}</span>
              <span title={`${num(p.sizeBytes)} bytes`}>{bytes(p.sizeBytes)}</span>
              {p.encoding && <span className="muted mono">{p.encoding}</span>}
              {view.payloads.length > 1 && <span className="muted">argument {p.index + 1}</span>}
            </div>
            {p.location === 'stored' && (
              <div className="small muted payload-ref">
                in <span className="mono">{p.store}</span> · sha256 <span className="mono">{p.sha256}</span>
              </div>
            )}
            <Content p={p} />
          </section>
        ))}
        {cut && !all && (
          <button className="small" onClick={() => setAll(true)}>
            show up to {bytes(ALL_BYTES)}
          </button>
        )}
      </aside>
    </div>
  );
}
