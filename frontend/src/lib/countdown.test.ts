import { describeDue, formatDuration } from './countdown';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('formatDuration', () => {
  it.each([
    [0, 'less than a minute'],
    [59_999, 'less than a minute'],
    [MIN, '1 min'],
    [45 * MIN + 59_000, '45 min'],
    [HOUR, '1 h'],
    [3 * HOUR + 12 * MIN + 30_000, '3 h 12 min'],
    [24 * HOUR, '1 d'],
    [2 * 24 * HOUR + 4 * HOUR + 50 * MIN, '2 d 4 h'],
  ])('%i ms reads "%s", rounded down', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
    expect(formatDuration(-ms)).toBe(expected);
  });
});

describe('describeDue', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  it('counts down to the due time', () => {
    expect(describeDue(at(3 * HOUR + 12 * MIN), now)).toEqual({
      overdue: false,
      text: 'due in 3 h 12 min',
    });
  });

  it('says by how much a passed due time is overdue', () => {
    expect(describeDue(at(-(HOUR + 5 * MIN)), now)).toEqual({
      overdue: true,
      text: 'overdue by 1 h 5 min',
    });
    expect(describeDue(now, now)).toEqual({ overdue: true, text: 'overdue by less than a minute' });
  });

  it('trusts the server when it says the SLA is breached, whatever this clock says', () => {
    expect(describeDue(at(10 * MIN), now, true)).toEqual({ overdue: true, text: 'overdue' });
  });
});
