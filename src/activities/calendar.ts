/** Today's date and the coming weekend's dates, read from the worker's clock (a side effect). */
export async function calendarLookup(input: { request: string }): Promise<{
  request: string;
  today: string;
  weekday: string;
  saturday: string;
  sunday: string;
  timeZone: string;
}> {
  const now = new Date();
  const day = now.getUTCDay();
  const daysToSaturday = (6 - day + 7) % 7;
  const saturday = new Date(now.getTime() + daysToSaturday * 86_400_000);
  const sunday = new Date(saturday.getTime() + 86_400_000);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return {
    request: input.request,
    today: iso(now),
    weekday: now.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }),
    saturday: iso(saturday),
    sunday: iso(sunday),
    timeZone: 'UTC',
  };
}
