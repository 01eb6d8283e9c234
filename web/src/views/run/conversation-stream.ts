import { useCallback, useEffect, useRef, useState } from 'react';
import { api, withToken } from '../../api';
import type { ChatEvent, ConversationResponse } from '../../../../src/common/conversation-types';

/** The answer being written, as the stream shows it. */
export interface LiveTurn {
  turn: number;
  question: string;
  text: string;
  cites: { n: number; sourceId: string }[];
}

export interface ConversationState {
  data: ConversationResponse | null;
  live: LiveTurn | null;
  error: string;
  asking: boolean;
  ask(question: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A research run's conversation: its turns (GET …/conversation) and the answer being written,
 * streamed over server-sent events from a stream offset. Reopening the page resumes: the turn in
 * progress is replayed from its start, then goes on live.
 */
export function useConversation(id: string): ConversationState {
  const base = `/api/research/${encodeURIComponent(id)}`;
  const [data, setData] = useState<ConversationResponse | null>(null);
  const [live, setLive] = useState<LiveTurn | null>(null);
  const [error, setError] = useState('');
  const [asking, setAsking] = useState(false);
  const source = useRef<EventSource | null>(null);
  const gone = useRef(false);

  const refresh = useCallback(async (): Promise<ConversationResponse | null> => {
    try {
      const next = await api<ConversationResponse>(`${base}/conversation`);
      if (!gone.current) setData(next);
      return next;
    } catch (e) {
      if (!gone.current) setError((e as Error).message);
      return null;
    }
  }, [base]);

  const listen = useCallback(
    (from: number) => {
      source.current?.close();
      const es = new EventSource(withToken(`${base}/conversation/events?from=${from}`));
      source.current = es;
      const on = (type: ChatEvent['type'], fn: (e: any) => void) =>
        es.addEventListener(type, (m) => fn(JSON.parse((m as MessageEvent).data)));
      on('turn', (e) => setLive({ turn: e.turn, question: e.question, text: '', cites: [] }));
      on('reset', (e) => setLive((l) => (l && l.turn === e.turn ? { ...l, text: '', cites: [] } : l)));
      on('text', (e) => setLive((l) => (l && l.turn === e.turn ? { ...l, text: l.text + e.text } : l)));
      on('cite', (e) =>
        setLive((l) =>
          l && l.turn === e.turn ? { ...l, cites: [...l.cites, { n: e.n, sourceId: e.sourceId }] } : l
        )
      );
      // The durable turn replaces the streamed one (they read the same).
      on('answered', () => void refresh().then(() => setLive(null)));
      on('failed', (e) => {
        setError(`the answer failed: ${e.error}`);
        void refresh().then(() => setLive(null));
      });
      es.addEventListener('problem', (m) => setError(JSON.parse((m as MessageEvent).data).message));
      es.addEventListener('end', () => {
        es.close();
        void refresh();
      });
      es.onerror = () => {
        // EventSource reconnects by itself (sending Last-Event-ID); a refused stream it does not.
        if (es.readyState !== EventSource.CLOSED || gone.current) return;
        setTimeout(() => {
          if (gone.current || source.current !== es) return;
          void refresh().then((next) => {
            const pending = next?.view?.pending.find((p) => p.state === 'answering');
            if (next?.execution === 'RUNNING') listen(pending?.offset ?? next.view!.streamOffset);
          });
        }, 1500);
      };
    },
    [base, refresh]
  );

  useEffect(() => {
    gone.current = false;
    void refresh().then((first) => {
      if (!first || first.execution !== 'RUNNING' || !first.view) return;
      const answering = first.view.pending.find((p) => p.state === 'answering');
      listen(answering?.offset ?? first.view.streamOffset);
    });
    return () => {
      gone.current = true;
      source.current?.close();
    };
  }, [refresh, listen]);

  const ask = useCallback(
    async (question: string) => {
      setAsking(true);
      setError('');
      try {
        const { offset } = await api<{ offset: number }>(`${base}/ask`, {
          method: 'POST',
          json: { question, wait: false },
        });
        if (!source.current || source.current.readyState === EventSource.CLOSED) listen(offset);
        await refresh();
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setAsking(false);
      }
    },
    [base, listen, refresh]
  );

  const close = useCallback(async () => {
    try {
      await api(`${base}/conversation/close`, { method: 'POST', json: {} });
    } catch (e) {
      setError((e as Error).message);
    }
    await refresh();
  }, [base, refresh]);

  return { data, live, error, asking, ask, close };
}
