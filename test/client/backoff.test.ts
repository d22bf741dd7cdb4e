import { backoffDelay } from '../../lib/client/backoff';

test('backoff doubles per round, is capped, and jitters by +-20%', () => {
  const mid = () => 0.5;
  expect(backoffDelay(1, {}, mid)).toBe(200);
  expect(backoffDelay(2, {}, mid)).toBe(400);
  expect(backoffDelay(20, { maxDelayMs: 5000 }, mid)).toBe(5000);
  expect(backoffDelay(1, { initialDelayMs: 1000 }, () => 0)).toBe(800);
  expect(backoffDelay(1, { initialDelayMs: 1000 }, () => 1)).toBe(1200);
});
