export function ago(iso: string): string {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.round(s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function duration(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
}

export function badgeClass(state: string): string {
  const s = state.toLowerCase();
  if (/complet|done|fired|answered|accepted|signaled/.test(s)) return 'badge ok';
  if (/fail|terminat|timed_out|error/.test(s)) return 'badge bad';
  if (/retry|cancel/.test(s)) return 'badge warn';
  if (/run|start|schedul|pending/.test(s)) return 'badge live';
  return 'badge';
}

export const num = (n: number) => n.toLocaleString('en-US');
