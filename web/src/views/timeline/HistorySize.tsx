import type { RunChain, RunHistorySize } from '../../../../src/common/timeline-types';
import { num } from '../format';
import { bytes } from './bytes';

type Figures = Omit<RunHistorySize, 'runId' | 'execution'>;

function Weight({ w }: { w: Figures }) {
  return (
    <span className="weight">
      <span title={`${num(w.historyBytes)} bytes of event history (Temporal's count)`}>
        history <strong>{bytes(w.historyBytes)}</strong>
      </span>
      <span>{num(w.events)} events</span>
      <span title={`${num(w.storedBytes)} bytes kept in the payload store instead of history`}>
        {w.storedPayloads === 0
          ? 'no stored payloads'
          : `${num(w.storedPayloads)} stored payload${w.storedPayloads === 1 ? '' : 's'} (${bytes(w.storedBytes)})`}
      </span>
    </span>
  );
}

/**
 * The shown run's history size, and for a workflow that continued as new, each run of the chain
 * (selectable) and their total.
 */
export function HistorySize({
  history,
  chain,
  onSelect,
}: {
  history: RunHistorySize;
  chain?: RunChain;
  onSelect: (runId: string) => void;
}) {
  const runs = chain?.runs ?? [];
  return (
    <div className="history-size" data-testid="history-size">
      <div className="small" data-testid="history-figures">
        <Weight w={history} />
      </div>
      {chain && runs.length > 1 && (
        <div className="run-chain small" data-testid="run-chain">
          <div className="muted">
            {runs.length} runs (continued as new) · <Weight w={chain.total} /> in total
            {chain.truncated && <div className="hint">{chain.truncated}</div>}
          </div>
          <ol>
            {runs.map((r, i) => (
              <li key={r.runId} className={r.runId === history.runId ? 'shown' : ''} data-testid="chain-run">
                <button
                  className="link mono"
                  onClick={() => onSelect(r.runId)}
                  disabled={r.runId === history.runId}
                  title={r.runId}
                >
                  run {i + 1} · {r.runId.slice(0, 8)}
                </button>
                <span className="muted">{r.execution.toLowerCase().replace(/_/g, ' ')}</span>
                <Weight w={r} />
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
