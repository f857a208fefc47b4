/**
 * A daily maintenance window in the device's local time (seed 000 §2: "00:00–06:00 local time").
 * `start` after `end` crosses midnight (22:00–04:00); `end` is exclusive.
 */
export interface MaintenanceWindow {
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isClockTime(value: string): boolean {
  return HHMM.test(value);
}

function minutesOf(clock: string): number {
  const match = HHMM.exec(clock);
  if (!match) throw new Error(`not HH:MM: ${clock}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

// Zones found valid: building a DateTimeFormat costs tens of microseconds on every target write
// and device event; only valid names are kept, so the set is bounded by the IANA database.
const knownZones = new Set<string>();

/** Whether `timezone` is an IANA zone this runtime knows. */
export function isTimeZone(timezone: string): boolean {
  if (knownZones.has(timezone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    return false;
  }
  knownZones.add(timezone);
  return true;
}

/** Minutes (and seconds) since local midnight at `now` in `timezone`. */
function localSecondsOfDay(now: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(now);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') * 3600 + value('minute') * 60 + value('second');
}

export function isWithinWindow(window: MaintenanceWindow, now: Date, timezone: string): boolean {
  const start = minutesOf(window.start) * 60;
  const end = minutesOf(window.end) * 60;
  const local = localSecondsOfDay(now, timezone);
  return start < end ? local >= start && local < end : local >= start || local < end;
}

/**
 * Seconds until the window next opens (0 inside it). Computed on the local clock, so a DST
 * change inside the wait can make it an hour off; the device simply polls again.
 */
export function secondsUntilWindowOpens(window: MaintenanceWindow, now: Date, timezone: string): number {
  if (isWithinWindow(window, now, timezone)) return 0;
  const start = minutesOf(window.start) * 60;
  const local = localSecondsOfDay(now, timezone);
  return (start - local + 86_400) % 86_400;
}
