import { makeMe, makeUser, makeViewCounts } from './factories';
import { jsonResponse } from './mock-fetch';
import type { components } from '@/types/openapi';

type Schemas = components['schemas'];

/** The people of the workspace tests: Maya (signed in) and Omar, both of the billing team. */
export const MAYA = makeUser({ id: 101, name: 'Maya Chen', teams: ['billing_team'] });
export const OMAR = makeUser({ id: 102, name: 'Omar Haddad', teams: ['billing_team'] });
export const LEE = makeUser({
  id: 103,
  name: 'Lee Park',
  teams: ['technical_team'],
  status: 'away',
});

type Options = {
  me?: Schemas['UserOut'] | null;
  users?: Schemas['UserOut'][];
  views?: Partial<Schemas['ViewCounts']>;
  history?: Record<number, Schemas['HistoryEntry'][]>;
};

/**
 * What the workspace asks besides the tickets: who is signed in, the staff, the views'
 * counts and tickets' history. Spread first into mockFetch, so these more specific routes
 * win over a catch-all like 'GET /api/tickets/'.
 */
export function workspaceRoutes({
  me = MAYA,
  users = [MAYA, OMAR, LEE],
  views = {},
  history = {},
}: Options = {}) {
  const routes: Record<string, () => Response> = {
    'GET /api/auth/me': () => jsonResponse(makeMe(me)),
    'GET /api/users': () => jsonResponse(users),
    'GET /api/tickets/views': () => jsonResponse(makeViewCounts(views)),
    'GET /api/macros': () => jsonResponse([]),
    'GET /api/teams': () =>
      jsonResponse([
        { id: 'billing_team', name: 'Billing team', escalation: false },
        { id: 'technical_team', name: 'Technical team', escalation: false },
      ]),
  };
  for (const [id, entries] of Object.entries(history)) {
    routes[`GET /api/tickets/${id}/history`] = () => jsonResponse(entries);
  }
  return routes;
}
