import { DAYS_OF_WEEK, type DayOfWeek, type RotationFrequency } from './schema';

/**
 * When credentials rotate: Secrets Manager schedules run in UTC and their windows open on the hour
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html), while
 * a broker's maintenance window is local time and lasts up to two hours
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/maintaining-brokers.html).
 * The rotation window is the first whole UTC hour inside the maintenance window, in winter and in
 * summer time alike, so an ActiveMQ reboot always falls inside the window the broker's owners chose.
 */

export const MAINTENANCE_WINDOW_MINUTES = 120;
export const ROTATION_WINDOW = '1h';
const WEEK = 7 * 24 * 60;
const DAYS: readonly DayOfWeek[] = DAYS_OF_WEEK;
const CRON_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
/** Fixed dates, so the same config gives the same schedule whenever synth runs. */
const SAMPLE_DATES = [Date.UTC(2026, 0, 15, 12), Date.UTC(2026, 6, 15, 12)];

export interface RotationWindow {
  readonly scheduleExpression: string;
  readonly duration: string;
  /** For messages and docs, e.g. "SUN 02:00-03:00 UTC". */
  readonly description: string;
}

/** UTC offsets (minutes east) of a maintenance-window time zone in winter and summer; undefined if unknown. */
export function utcOffsets(timeZone: string): number[] | undefined {
  if (timeZone === 'UTC') return [0];
  const fixed = /^UTC([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (fixed) return [(fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]))];
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  } catch {
    return undefined;
  }
  const offsets = SAMPLE_DATES.map((t) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
    return Math.round((local - t) / 60000);
  });
  return [...new Set(offsets)];
}

/**
 * When a maintenance window starts, in minutes since Monday 00:00 UTC, once per UTC offset its time
 * zone has in a year (unwrapped, so the seasons compare on one line); undefined for an unknown zone.
 */
function utcStarts(window: { dayOfWeek: DayOfWeek; timeOfDay: string; timeZone: string }): number[] | undefined {
  const offsets = utcOffsets(window.timeZone);
  if (!offsets) return undefined;
  const [hh, mm] = window.timeOfDay.split(':').map(Number);
  const local = DAYS.indexOf(window.dayOfWeek) * 1440 + hh * 60 + mm;
  return offsets.map((o) => local - o);
}

/**
 * The rotation window for a maintenance window, or undefined when no whole UTC hour lies inside
 * it in every season (a time zone with daylight saving time and a start that is not on the hour).
 */
export function rotationWindow(
  window: { dayOfWeek: DayOfWeek; timeOfDay: string; timeZone: string },
  frequency: RotationFrequency,
): RotationWindow | undefined {
  const starts = utcStarts(window);
  if (!starts) return undefined;
  const latest = Math.max(...starts);
  const earliestEnd = Math.min(...starts) + MAINTENANCE_WINDOW_MINUTES;
  const start = Math.ceil(latest / 60) * 60;
  if (start + 60 > earliestEnd) return undefined;
  return windowAt(start, frequency);
}

/** How far after its maintenance window starts a RabbitMQ broker's credentials rotate. */
export const OFF_WINDOW_DELAY_MINUTES = 12 * 60;

/**
 * The rotation window of a broker whose rotation must stay out of its maintenance window
 * (RabbitMQ: no reboot, and the window can restart nodes for up to two hours): the first whole UTC
 * hour at least 12 hours after the window starts, in winter and summer time alike, so at least
 * 10 hours after it ends whatever the season. Undefined only for an unknown time zone.
 */
export function offWindowRotation(
  window: { dayOfWeek: DayOfWeek; timeOfDay: string; timeZone: string },
  frequency: RotationFrequency,
): RotationWindow | undefined {
  const starts = utcStarts(window);
  if (!starts) return undefined;
  const latest = Math.max(...starts);
  return windowAt(Math.ceil((latest + OFF_WINDOW_DELAY_MINUTES) / 60) * 60, frequency);
}

/** The same schedule `hours` later (a different hour for secrets that must not rotate together). */
export function shiftWindow(window: RotationWindow, hours: number): RotationWindow {
  const m = /^cron\(0 (\d+) \? (\S+) ([A-Z]{3})(#1)? \*\)$/.exec(window.scheduleExpression);
  if (!m) return window; // only from a maintenance window that the rules already reject
  const frequency: RotationFrequency = m[2] === '1/3' ? 'QUARTERLY' : m[4] ? 'MONTHLY' : 'WEEKLY';
  return windowAt(CRON_DAYS.indexOf(m[3]) * 1440 + Number(m[1]) * 60 + hours * 60, frequency);
}

/** The one-hour rotation window starting at `start` minutes after Monday 00:00 UTC (any week). */
function windowAt(start: number, frequency: RotationFrequency): RotationWindow {
  const weekMinute = ((start % WEEK) + WEEK) % WEEK;
  const day = CRON_DAYS[Math.floor(weekMinute / 1440)];
  const hour = Math.floor((weekMinute % 1440) / 60);
  const dayField = { WEEKLY: day, MONTHLY: `${day}#1`, QUARTERLY: `${day}#1` }[frequency];
  const monthField = frequency === 'QUARTERLY' ? '1/3' : '*';
  const hhmm = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return {
    scheduleExpression: `cron(0 ${hour} ? ${monthField} ${dayField} *)`,
    duration: ROTATION_WINDOW,
    description: `${day} ${hhmm(hour)}-${hhmm(hour + 1)} UTC`,
  };
}
