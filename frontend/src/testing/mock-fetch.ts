type Handler = (request: {
  url: string;
  method: string;
  body: unknown;
}) => Response | Promise<Response>;

export type FetchCall = {
  url: string;
  method: string;
  body: unknown;
  headers: Record<string, string>;
};

export function jsonResponse(body: unknown, status = 200, contentType = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

export function problemResponse(
  status: number,
  title: string,
  extra: { detail?: string; errors?: Record<string, string[]> } = {},
) {
  return jsonResponse(
    { type: 'about:blank', title, status, ...extra },
    status,
    'application/problem+json',
  );
}

/**
 * Replaces global fetch with a router: the first handler whose "METHOD path" prefix matches
 * answers. Every call is recorded, so tests can assert on what the UI sent.
 */
export function mockFetch(routes: Record<string, Handler>) {
  const calls: FetchCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const request = { url, method, body };
    // Headers are there to read, but left out of comparisons of whole calls (toEqual).
    const headers = { ...(init?.headers as Record<string, string>) };
    calls.push(Object.defineProperty({ ...request }, 'headers', { value: headers }) as FetchCall);
    const route = Object.keys(routes).find((key) => `${method} ${url}`.startsWith(key));
    if (!route) throw new Error(`Unexpected fetch: ${method} ${url}`);
    return routes[route]!(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}
