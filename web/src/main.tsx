import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, ApiError, token } from './api';
import { NewResearch } from './views/NewResearch';
import { RunsList } from './views/RunsList';
import { RunView } from './views/RunView';
import './styles.css';

type Route =
  { name: 'home' } | { name: 'runs' } | { name: 'run'; id: string; tab: 'live' | 'report' | 'timeline' };

function parse(hash: string): Route {
  const m = /^#\/runs\/([^/]+)(?:\/(live|report|timeline))?$/.exec(hash);
  if (m)
    return {
      name: 'run',
      id: decodeURIComponent(m[1]!),
      tab: (m[2] as 'live' | 'report' | 'timeline') ?? 'live',
    };
  if (hash === '#/runs') return { name: 'runs' };
  return { name: 'home' };
}

function Login({ onDone, message }: { onDone: () => void; message: string }) {
  const [value, setValue] = useState(token.get());
  return (
    <form
      className="card login"
      onSubmit={(e) => {
        e.preventDefault();
        token.set(value.trim());
        onDone();
      }}
    >
      <h2>API token</h2>
      <p className="muted">{message}</p>
      <label>
        Token
        <input
          type="password"
          autoComplete="current-password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          data-testid="token"
        />
      </label>
      <button className="primary" type="submit">
        Save
      </button>
    </form>
  );
}

function App() {
  const [route, setRoute] = useState<Route>(parse(window.location.hash));
  const [auth, setAuth] = useState<'checking' | 'ok' | 'needed' | 'wrong'>('checking');
  const [health, setHealth] = useState<{ temporalUi: string | null } | null>(null);

  useEffect(() => {
    const onHash = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const check = () =>
    api<{ temporalUi: string | null }>('/api/health')
      .then((h) => {
        setHealth(h);
        setAuth('ok');
      })
      .catch((err) =>
        setAuth(err instanceof ApiError && err.status === 401 ? (token.get() ? 'wrong' : 'needed') : 'ok')
      );
  useEffect(() => {
    void check();
  }, []);

  return (
    <>
      <header className="top">
        <a className="brand" href="#/">
          <span className="logo" aria-hidden>
            ✓
          </span>
          steadfast
        </a>
        <nav>
          <a href="#/" className={route.name === 'home' ? 'active' : ''}>
            New research
          </a>
          <a href="#/runs" className={route.name === 'runs' ? 'active' : ''} data-testid="nav-runs">
            Runs
          </a>
          {health?.temporalUi && (
            <a href={health.temporalUi} target="_blank" rel="noreferrer" className="ext">
              Temporal UI ↗
            </a>
          )}
        </nav>
      </header>
      <main>
        {auth === 'needed' || auth === 'wrong' ? (
          <Login
            message={
              auth === 'wrong'
                ? 'The saved token was refused. Enter the server’s STEADFAST_API_TOKEN.'
                : 'This server requires its STEADFAST_API_TOKEN.'
            }
            onDone={() => void check()}
          />
        ) : auth === 'checking' ? null : route.name === 'run' ? (
          <RunView key={route.id} id={route.id} tab={route.tab} />
        ) : route.name === 'runs' ? (
          <RunsList />
        ) : (
          <>
            <NewResearch />
            <RunsList compact />
          </>
        )}
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
);
