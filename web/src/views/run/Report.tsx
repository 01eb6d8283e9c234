import { useEffect, useMemo, useRef, useState } from 'react';
import { api, withToken, type Passage, type Result, type Status } from '../../api';
import { renderReport } from '../../markdown';
import { navigate } from '../../router';
import { startRun } from '../NewResearch';

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

export function Report({ id, status }: { id: string; status: Status }) {
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
