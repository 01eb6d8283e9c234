import { useState } from 'react';
import { api, ApiError } from '../api';
import { navigate } from '../router';

export async function startRun(body: {
  question: string;
  corpus?: string;
  format?: string;
  clarify?: boolean;
  verifier?: boolean;
  web?: boolean;
  reviewPlan?: boolean;
}): Promise<string> {
  const requestId = `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const started = await api<{ workflowId: string }>('/api/research', {
    method: 'POST',
    json: { ...body, requestId },
  });
  return started.workflowId;
}

export function NewResearch({ initial }: { initial?: string }) {
  const [question, setQuestion] = useState(initial ?? '');
  const [corpusMode, setCorpusMode] = useState<'default' | 'path'>('default');
  const [corpus, setCorpus] = useState('');
  const [format, setFormat] = useState<'report' | 'checklist'>('report');
  const [clarify, setClarify] = useState(true);
  const [verifier, setVerifier] = useState(false);
  const [web, setWeb] = useState(false);
  const [reviewPlan, setReviewPlan] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const id = await startRun({
        question,
        format,
        clarify,
        ...(verifier ? { verifier } : {}),
        ...(web ? { web } : {}),
        ...(reviewPlan ? { reviewPlan } : {}),
        ...(corpusMode === 'path' && corpus.trim() ? { corpus: corpus.trim() } : {}),
      });
      navigate(`#/runs/${encodeURIComponent(id)}`);
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} data-testid="new-research">
      <h1>New research</h1>
      <p className="muted">
        Ask a question; agents plan searches over the corpus, cite what they find and write a report. The run
        is durable: close the page any time and come back.
      </p>
      <label className="field">
        <span>Question</span>
        <textarea
          required
          minLength={3}
          maxLength={2000}
          rows={3}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          placeholder="e.g. How do I add human approval to a durable agent?"
          data-testid="question"
        />
      </label>
      <fieldset className="field">
        <legend>Corpus</legend>
        <div className="row wrap">
          <label className="choice">
            <input
              type="radio"
              name="corpus"
              checked={corpusMode === 'default'}
              onChange={() => setCorpusMode('default')}
            />{' '}
            Default documentation
          </label>
          <label className="choice">
            <input
              type="radio"
              name="corpus"
              checked={corpusMode === 'path'}
              onChange={() => setCorpusMode('path')}
            />{' '}
            A folder on the worker
          </label>
        </div>
        {corpusMode === 'path' && (
          <input
            type="text"
            value={corpus}
            onChange={(e) => setCorpus(e.target.value)}
            placeholder="/path/to/docs (.md .txt .html .pdf)"
            data-testid="corpus"
          />
        )}
      </fieldset>
      <div className="row wrap gap">
        <label className="field inline">
          <span>Format</span>
          <select
            value={format}
            onChange={(e) => setFormat(e.target.value as 'report' | 'checklist')}
            data-testid="format"
          >
            <option value="report">Report</option>
            <option value="checklist">Checklist</option>
          </select>
        </label>
        <label className="choice toggle">
          <input
            type="checkbox"
            checked={clarify}
            onChange={(e) => setClarify(e.target.checked)}
            data-testid="clarify"
          />{' '}
          Ask me clarifying questions first
        </label>
        <label
          className="choice toggle"
          title="A verifier agent judges the claims the support check doubts (worth it on real models)"
        >
          <input
            type="checkbox"
            checked={verifier}
            onChange={(e) => setVerifier(e.target.checked)}
            data-testid="verifier"
          />{' '}
          Verify claims with an agent
        </label>
        <label
          className="choice toggle"
          title="Search the web with the workers' search provider (alone: the web only; with a folder: both)"
        >
          <input type="checkbox" checked={web} onChange={(e) => setWeb(e.target.checked)} data-testid="web" />{' '}
          Search the web
        </label>
        <label
          className="choice toggle"
          title="The run waits for you to approve, edit or reject its search plan"
        >
          <input
            type="checkbox"
            checked={reviewPlan}
            onChange={(e) => setReviewPlan(e.target.checked)}
            data-testid="review-plan"
          />{' '}
          Let me approve the plan
        </label>
      </div>
      {error && (
        <div className="alert error" role="alert">
          {error.message}
          {error instanceof ApiError && error.hint && <div className="hint">{error.hint}</div>}
        </div>
      )}
      <div className="actions">
        <button
          className="primary"
          type="submit"
          disabled={busy || question.trim().length < 3}
          data-testid="start"
        >
          {busy ? 'Starting…' : 'Start research'}
        </button>
      </div>
    </form>
  );
}
