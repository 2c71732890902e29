import { hasActiveFilters, parseTicketFilters, ticketFiltersToParams } from './ticket-filters';

describe('ticket filters in the URL', () => {
  it('round-trips every filter', () => {
    const query =
      'category=billing%2Caccount&priority=high&status=open%2Cin_progress&team=billing_team&search=refund&ordering=-priority&page=3';
    const filters = parseTicketFilters(new URLSearchParams(query));
    expect(filters).toEqual({
      category: ['billing', 'account'],
      priority: ['high'],
      status: ['open', 'in_progress'],
      team: ['billing_team'],
      search: 'refund',
      ordering: '-priority',
      page: 3,
    });
    expect(ticketFiltersToParams(filters).toString()).toBe(query);
  });

  it('falls back to defaults for missing or unknown values', () => {
    expect(
      parseTicketFilters(
        new URLSearchParams('status=open,bogus&team=Not+a+team%3B&ordering=sideways&page=-2'),
      ),
    ).toEqual({
      category: [],
      priority: [],
      status: ['open'],
      team: [],
      search: '',
      ordering: '-created_at',
      page: 1,
    });
  });

  it('leaves defaults out of the URL', () => {
    const filters = parseTicketFilters(new URLSearchParams(''));
    expect(ticketFiltersToParams(filters).toString()).toBe('');
  });
});

it('orders by due time and counts a team as a filter', () => {
  const filters = parseTicketFilters(new URLSearchParams('team=escalation_team&ordering=due_at'));
  expect(filters.ordering).toBe('due_at');
  expect(hasActiveFilters(filters)).toBe(true);
  expect(hasActiveFilters({ ...filters, team: [] })).toBe(false);
});
