export const paths = {
  newTicket: '/',
  tickets: '/tickets',
  dashboard: '/dashboard',
} as const;
