import { useEffect, useState } from 'react';
import { api, ENDED, withToken, type Status } from '../../api';

/** A run's live status: server-sent events, with polling as the fallback; reopening resumes. */
export function useLiveStatus(id: string): { status: Status | null; problem: string; connected: boolean } {
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
