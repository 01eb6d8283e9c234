import { useMemo, useState } from 'react';
import { renderReport } from '../../markdown';
import type { ConversationTurn } from '../../../../src/common/conversation-types';
import { useConversation, type LiveTurn } from './conversation-stream';
import './conversation.css';

const MAX_QUESTION = 2000;

function Answer({ turn }: { turn: ConversationTurn }) {
  const html = useMemo(
    () => renderReport(turn.answer, new Set(turn.citations.map((c) => c.n))),
    [turn.answer, turn.citations]
  );
  return (
    <li className="chat-turn" data-testid="chat-turn" data-turn={turn.turn}>
      <div className="chat-q">{turn.question}</div>
      <div className="chat-a">
        <div className="markdown" data-testid="chat-answer" dangerouslySetInnerHTML={{ __html: html }} />
        {turn.citations.length > 0 && (
          <ol className="chat-sources small">
            {turn.citations.map((c) => (
              <li key={c.n} value={c.n}>
                <details>
                  <summary>
                    <span className="mono">{c.sourceId}</span>
                  </summary>
                  <div className="muted">{c.excerpt}</div>
                </details>
              </li>
            ))}
          </ol>
        )}
      </div>
    </li>
  );
}

function Streaming({ live }: { live: LiveTurn }) {
  return (
    <li className="chat-turn live" data-testid="chat-live" data-turn={live.turn}>
      <div className="chat-q">{live.question}</div>
      <div className="chat-a">
        <p className="chat-streaming" data-testid="chat-streaming">
          {live.text}
          <span className="chat-caret" aria-hidden />
        </p>
        {live.cites.length > 0 && (
          <div className="small muted">
            sources so far: {live.cites.map((c) => `[${c.n}] ${c.sourceId}`).join(' · ')}
          </div>
        )}
      </div>
    </li>
  );
}

/** Follow-up questions about the report: one conversation per report, answers streamed as written. */
export function Conversation({ id }: { id: string }) {
  const { data, live, error, asking, ask, close } = useConversation(id);
  const [question, setQuestion] = useState('');
  const view = data?.view ?? null;
  const open = data?.execution === 'RUNNING';
  const closed = data?.execution === 'COMPLETED';
  const waiting = view?.pending.filter((p) => p.state === 'waiting' && p.turn !== live?.turn) ?? [];
  const tooLong = question.length > MAX_QUESTION;
  const send = () => {
    const q = question.trim();
    if (!q || tooLong) return;
    setQuestion('');
    void ask(q);
  };
  return (
    <section className="card chat" data-testid="chat" data-execution={data?.execution ?? ''}>
      <div className="row between wrap gap">
        <h2>Ask about this report</h2>
        {open && (
          <button className="ghost small" onClick={() => void close()} data-testid="chat-close">
            End conversation
          </button>
        )}
      </div>
      {view?.note && (
        <div className="alert warn small" data-testid="chat-note">
          {view.note}
        </div>
      )}
      {closed && (
        <p className="muted small" data-testid="chat-closed">
          This conversation has ended ({view?.closedReason === 'idle' ? 'idle for too long' : 'closed'}). A
          new question starts a new one, with the report as its context.
        </p>
      )}
      {view && view.earlier.turns > 0 && (
        <details className="small muted">
          <summary>{view.earlier.turns} earlier turns (summary)</summary>
          <pre className="chat-summary">{view.earlier.summary}</pre>
        </details>
      )}
      <ol className="chat-turns">
        {(open || closed ? (view?.recent ?? []) : [])
          .filter((t) => t.turn !== live?.turn)
          .map((t) => (
            <Answer key={`${view?.startedAt}-${t.turn}`} turn={t} />
          ))}
        {live && <Streaming live={live} />}
        {waiting.map((p) => (
          <li className="chat-turn waiting" key={p.updateId}>
            <div className="chat-q">{p.question}</div>
            <div className="chat-a muted small">waiting for the answers before it…</div>
          </li>
        ))}
      </ol>
      {error && (
        <div className="alert error small" data-testid="chat-error">
          {error}
        </div>
      )}
      <div className="chat-ask">
        <textarea
          value={question}
          placeholder="And what about…?"
          rows={2}
          data-testid="chat-input"
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button
          className="primary"
          disabled={asking || !question.trim() || tooLong}
          onClick={send}
          data-testid="chat-send"
        >
          {asking ? 'Sending…' : 'Ask'}
        </button>
      </div>
      {tooLong && (
        <div className="small muted">
          {question.length} characters; a question holds at most {MAX_QUESTION}.
        </div>
      )}
    </section>
  );
}
