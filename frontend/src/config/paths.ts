export const paths = {
  newTicket: '/',
  tickets: '/tickets',
  ticket: '/tickets/:id',
  dashboard: '/dashboard',
  analysis: '/analysis',
  analysisRun: '/analysis/:id',
  signIn: '/sign-in',
  welcome: '/welcome',
  team: '/team',
  support: '/support',
  customer: '/c',
} as const;

export function ticketPath(id: number): string {
  return `/tickets/${id}`;
}

export function analysisRunPath(id: number): string {
  return `/analysis/${id}`;
}
