/** 'YYYY-MM-DD' of an instant, in UTC (reports bucket by UTC day). */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The instant `days` days before `now`, at 00:00 UTC of that day. */
export function startOfWindow(now: Date, days: number): Date {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  start.setUTCDate(start.getUTCDate() - (days - 1));
  return start;
}
