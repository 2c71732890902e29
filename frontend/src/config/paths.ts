export const paths = {
  newTicket: '/',
  tickets: '/tickets',
  ticket: '/tickets/:id',
  dashboard: '/dashboard',
} as const;

export function ticketPath(id: number): string {
  return `/tickets/${id}`;
}
