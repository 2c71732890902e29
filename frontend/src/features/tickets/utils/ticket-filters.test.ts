import {
  activeFilterCount,
  hasActiveFilters,
  parseTicketFilters,
  ticketFiltersToParams,
} from './ticket-filters';

describe('ticket filters in the URL', () => {
  it('round-trips every filter', () => {
    const query =
      'category=billing%2Caccount&priority=high&status=open%2Cin_progress&team=billing_team&search=refund' +
      '&assignee=42&needs_review=true&sla=at_risk&ordering=-priority&page_size=50&page=3';
    const filters = parseTicketFilters(new URLSearchParams(query));
    expect(filters).toEqual({
      category: ['billing', 'account'],
      priority: ['high'],
      status: ['open', 'in_progress'],
      team: ['billing_team'],
      search: 'refund',
      assignee: '42',
      needsReview: true,
      sla: 'at_risk',
      ordering: '-priority',
      page: 3,
      pageSize: 50,
    });
    expect(ticketFiltersToParams(filters).toString()).toBe(query);
  });

  it('falls back to defaults for missing or unknown values', () => {
    expect(
      parseTicketFilters(
        new URLSearchParams(
          'status=open,bogus&team=Not+a+team%3B&ordering=sideways&page=-2' +
            '&assignee=someone&needs_review=yes&sla=soon&page_size=7',
        ),
      ),
    ).toEqual({
      category: [],
      priority: [],
      status: ['open'],
      team: [],
      search: '',
      assignee: '',
      needsReview: false,
      sla: '',
      ordering: '-created_at',
      page: 1,
      pageSize: 10,
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

describe('assignee, review, SLA and page size', () => {
  it('takes me, none or a user id as the assignee', () => {
    for (const assignee of ['me', 'none', '7']) {
      const filters = parseTicketFilters(new URLSearchParams(`assignee=${assignee}`));
      expect(filters.assignee).toBe(assignee);
    }
    expect(parseTicketFilters(new URLSearchParams('assignee=0')).assignee).toBe('');
  });

  it('counts each of them as a filter, but not the page size', () => {
    const filters = parseTicketFilters(
      new URLSearchParams('assignee=me&needs_review=true&sla=breached&page_size=25'),
    );
    expect(hasActiveFilters(filters)).toBe(true);
    expect(activeFilterCount(filters)).toBe(3);
    expect(hasActiveFilters(parseTicketFilters(new URLSearchParams('page_size=25')))).toBe(false);
  });

  it('leaves the remembered page size out of the URL and keeps another one in', () => {
    const remembered = 25;
    const filters = parseTicketFilters(new URLSearchParams(''), remembered);
    expect(filters.pageSize).toBe(25);
    expect(ticketFiltersToParams(filters, remembered).toString()).toBe('');
    expect(ticketFiltersToParams({ ...filters, pageSize: 100 }, remembered).toString()).toBe(
      'page_size=100',
    );
  });
});
