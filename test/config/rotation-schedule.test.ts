import { offWindowRotation, rotationWindow, shiftWindow, utcOffsets } from '../../lib/config/rotation-schedule';

describe('rotation window from the maintenance window', () => {
  test.each([
    ['SUNDAY', '03:00', 'UTC', 'MONTHLY', 'cron(0 3 ? * SUN#1 *)', 'SUN 03:00-04:00 UTC'],
    ['SUNDAY', '02:00', 'Europe/Dublin', 'MONTHLY', 'cron(0 2 ? * SUN#1 *)', 'SUN 02:00-03:00 UTC'],
    ['MONDAY', '00:00', 'UTC+02:00', 'WEEKLY', 'cron(0 22 ? * SUN *)', 'SUN 22:00-23:00 UTC'],
    ['SUNDAY', '03:30', 'UTC', 'QUARTERLY', 'cron(0 4 ? 1/3 SUN#1 *)', 'SUN 04:00-05:00 UTC'],
    ['MONDAY', '01:00', 'Europe/Berlin', 'MONTHLY', 'cron(0 0 ? * MON#1 *)', 'MON 00:00-01:00 UTC'],
    ['SATURDAY', '23:00', 'UTC-05:00', 'WEEKLY', 'cron(0 4 ? * SUN *)', 'SUN 04:00-05:00 UTC'],
  ] as const)('%s %s %s %s gives %s', (dayOfWeek, timeOfDay, timeZone, frequency, expression, description) => {
    expect(rotationWindow({ dayOfWeek, timeOfDay, timeZone }, frequency)).toEqual({
      scheduleExpression: expression,
      duration: '1h',
      description,
    });
  });

  test('no whole hour fits a :30 start where daylight saving time shifts the window', () => {
    expect(rotationWindow({ dayOfWeek: 'MONDAY', timeOfDay: '23:30', timeZone: 'America/Los_Angeles' }, 'MONTHLY')).toBeUndefined();
  });

  test('offsets: fixed, seasonal, unknown', () => {
    expect(utcOffsets('UTC')).toEqual([0]);
    expect(utcOffsets('UTC-03:30')).toEqual([-210]);
    expect(utcOffsets('Europe/Dublin')).toEqual([0, 60]);
    expect(utcOffsets('Asia/Tokyo')).toEqual([540]);
    expect(utcOffsets('Mars/Olympus')).toBeUndefined();
  });

  test.each([
    // RabbitMQ: the first whole UTC hour at least 12 h after the window starts, in every season.
    ['SUNDAY', '03:00', 'UTC', 'MONTHLY', 'cron(0 15 ? * SUN#1 *)', 'SUN 15:00-16:00 UTC'],
    ['SUNDAY', '03:00', 'Europe/Dublin', 'MONTHLY', 'cron(0 15 ? * SUN#1 *)', 'SUN 15:00-16:00 UTC'],
    ['SATURDAY', '23:30', 'America/Los_Angeles', 'WEEKLY', 'cron(0 20 ? * SUN *)', 'SUN 20:00-21:00 UTC'],
    ['SUNDAY', '18:00', 'UTC', 'QUARTERLY', 'cron(0 6 ? 1/3 MON#1 *)', 'MON 06:00-07:00 UTC'],
  ] as const)('out of the window: %s %s %s %s gives %s', (dayOfWeek, timeOfDay, timeZone, frequency, expression, description) => {
    expect(offWindowRotation({ dayOfWeek, timeOfDay, timeZone }, frequency)).toEqual({
      scheduleExpression: expression,
      duration: '1h',
      description,
    });
  });

  test('an unknown time zone gives no window out of it either', () => {
    expect(offWindowRotation({ dayOfWeek: 'MONDAY', timeOfDay: '01:00', timeZone: 'Mars/Olympus' }, 'MONTHLY')).toBeUndefined();
  });

  test('shifting keeps the frequency and wraps the week', () => {
    expect(shiftWindow({ scheduleExpression: 'cron(0 23 ? * SUN#1 *)', duration: '1h', description: '' }, 1)).toEqual({
      scheduleExpression: 'cron(0 0 ? * MON#1 *)',
      duration: '1h',
      description: 'MON 00:00-01:00 UTC',
    });
    expect(shiftWindow({ scheduleExpression: 'cron(0 3 ? 1/3 SUN#1 *)', duration: '1h', description: '' }, 12).scheduleExpression).toBe(
      'cron(0 15 ? 1/3 SUN#1 *)',
    );
    expect(shiftWindow({ scheduleExpression: 'cron(0 3 ? * SUN *)', duration: '1h', description: '' }, 12).scheduleExpression).toBe(
      'cron(0 15 ? * SUN *)',
    );
  });
});
