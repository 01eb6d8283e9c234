import { useEffect, useState } from 'react';
import { api, type RunSummary } from '../api';
import { ago, badgeClass } from './format';

export function RunsList({ compact = false }: { compact?: boolean }) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let alive = true;
    const load = () =>
      api<{ runs: RunSummary[] }>(`/api/research?limit=${compact ? 8 : 50}`)
        .then((r) => alive && setRuns(r.runs))
        .catch((e: Error) => alive && setError(e.message));
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [compact]);
  return (
    <section className="card" data-testid="runs">
      <h2>{compact ? 'Recent runs' : 'Runs'}</h2>
      {error && <div className="alert error">{error}</div>}
      {runs && runs.length === 0 && <p className="muted">No runs yet.</p>}
      {runs && runs.length > 0 && (
        <ul className="runs">
          {runs.map((r) => (
            <li key={r.runId}>
              <a href={`#/runs/${encodeURIComponent(r.workflowId)}`}>
                <span className={badgeClass(r.status)}>{r.status.toLowerCase()}</span>
                <span className="mono id">{r.workflowId}</span>
                <span className="muted when">{ago(r.startTime)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
