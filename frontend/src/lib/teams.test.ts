import { teamLabel } from './teams';

const TEAMS = [{ id: 'account_management', name: 'account team', escalation: false }];

it('names a team as the routing file does, capitalised', () => {
  expect(teamLabel('account_management', TEAMS)).toBe('Account team');
});

it('tidies the id of a team it has no name for (yet)', () => {
  expect(teamLabel('returns_desk', TEAMS)).toBe('Returns desk');
  expect(teamLabel('account_management')).toBe('Account management');
});
