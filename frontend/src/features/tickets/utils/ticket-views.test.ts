import { parseTicketFilters } from './ticket-filters';
import { activeView, filtersForView, SAVED_VIEWS } from './ticket-views';

const view = (id: string) => SAVED_VIEWS.find((saved) => saved.id === id)!;
const parse = (query: string) => parseTicketFilters(new URLSearchParams(query));

it('has the queues an agent works from, in order', () => {
  expect(SAVED_VIEWS.map((saved) => saved.label)).toEqual([
    'My tickets',
    'Unassigned',
    'Needs review',
    'SLA at risk',
    'SLA breached',
    'All',
  ]);
});

it('counts only what is still to do in the assignment and review views', () => {
  expect(view('mine').filters).toMatchObject({ assignee: 'me', status: ['open', 'in_progress'] });
  expect(view('unassigned').filters).toMatchObject({ assignee: 'none' });
  expect(view('needs_review').filters).toMatchObject({ needsReview: true });
  expect(view('sla_breached').filters).toMatchObject({ sla: 'breached', status: [] });
});

it('knows which view the URL shows, whatever narrows it further', () => {
  expect(activeView(parse('assignee=me&status=in_progress,open'))?.id).toBe('mine');
  expect(activeView(parse('assignee=none&status=open,in_progress&priority=high'))?.id).toBe(
    'unassigned',
  );
  expect(activeView(parse('sla=at_risk'))?.id).toBe('sla_at_risk');
  expect(activeView(parse('category=billing'))?.id).toBe('all');
  expect(activeView(parse('assignee=me'))).toBeUndefined();
});

it('replaces every filter with the view’s own, keeping the sort and the page size', () => {
  const current = parse('category=billing&search=vpn&ordering=due_at&page_size=50&page=3');
  expect(filtersForView(view('needs_review'), current)).toEqual({
    ...parse('needs_review=true&status=open,in_progress&ordering=due_at&page_size=50'),
  });
});
