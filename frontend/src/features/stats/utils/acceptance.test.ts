import { summarizeAcceptance } from './acceptance';

describe('summarizeAcceptance', () => {
  it('gives the rate as a percentage with the counts', () => {
    expect(summarizeAcceptance({ suggested: 4, accepted: 3, rate: 0.75 })).toEqual({
      percent: '75%',
      fraction: 0.75,
      detail: '3 of 4',
    });
    expect(summarizeAcceptance({ suggested: 3, accepted: 2, rate: 0.667 }).percent).toBe('67%');
    expect(summarizeAcceptance({ suggested: 1, accepted: 0, rate: 0 })).toMatchObject({
      percent: '0%',
      detail: '0 of 1',
    });
  });

  it('says so when the AI has suggested nothing yet', () => {
    expect(summarizeAcceptance({ suggested: 0, accepted: 0, rate: null })).toEqual({
      percent: null,
      fraction: 0,
      detail: 'no suggestions yet',
    });
  });

  it('never rounds to all or nothing when that is not true', () => {
    expect(summarizeAcceptance({ suggested: 400, accepted: 399, rate: 0.998 }).percent).toBe(
      '>99%',
    );
    expect(summarizeAcceptance({ suggested: 400, accepted: 1, rate: 0.003 }).percent).toBe('<1%');
    expect(summarizeAcceptance({ suggested: 400, accepted: 400, rate: 1 }).percent).toBe('100%');
  });
});
