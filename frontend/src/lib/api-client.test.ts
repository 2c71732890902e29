import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { apiFetch, configureApiClient, ProblemError, toSearchParams } from './api-client';

describe('apiFetch', () => {
  it('sends JSON and returns the parsed body', async () => {
    const { calls } = mockFetch({ 'POST /api/things': () => jsonResponse({ id: 1 }, 201) });
    await expect(apiFetch('/api/things', { method: 'POST', body: { a: 1 } })).resolves.toEqual({
      id: 1,
    });
    expect(calls[0]?.body).toEqual({ a: 1 });
  });

  it('turns a problem+json response into a ProblemError with the field messages', async () => {
    mockFetch({
      'POST /api/things': () =>
        problemResponse(422, 'Validation failed', { errors: { title: ['must not be blank'] } }),
    });
    const error = await apiFetch('/api/things', { method: 'POST', body: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({
      status: 422,
      title: 'Validation failed',
      fieldErrors: { title: ['must not be blank'] },
    });
  });

  it('still fails cleanly when the error body is not JSON', async () => {
    mockFetch({
      'GET /api/things': () =>
        new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
    });
    await expect(apiFetch('/api/things')).rejects.toMatchObject({
      status: 502,
      title: 'Bad Gateway',
    });
  });
});

it('toSearchParams leaves out empty values', () => {
  expect(toSearchParams({ page: 1, search: '', status: undefined, category: 'a,b' })).toBe(
    '?page=1&category=a%2Cb',
  );
  expect(toSearchParams({ search: '' })).toBe('');
});

describe('signed-in requests', () => {
  afterEach(() => {
    document.cookie = 'sd_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    configureApiClient({ onUnauthorized: () => {} });
  });

  it('sends the CSRF token from its cookie on writes, never on reads', async () => {
    document.cookie = 'sd_csrf=csrf_abc%2Bdef';
    const { calls } = mockFetch({
      'GET /api/things': () => jsonResponse([]),
      'DELETE /api/things/1': () => new Response(null, { status: 204 }),
    });
    await apiFetch('/api/things');
    await expect(apiFetch('/api/things/1', { method: 'DELETE' })).resolves.toBeUndefined();
    expect(calls[0]?.headers['X-CSRF-Token']).toBeUndefined();
    expect(calls[1]?.headers['X-CSRF-Token']).toBe('csrf_abc+def');
  });

  it('hands a 401 to the app, except from the sign-in endpoints themselves', async () => {
    const onUnauthorized = vi.fn();
    configureApiClient({ onUnauthorized });
    mockFetch({
      'GET /api/tickets': () => problemResponse(401, 'Sign-in required'),
      'POST /api/auth/sign-in': () => problemResponse(401, 'Sign-in required'),
    });
    await expect(apiFetch('/api/tickets')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(apiFetch('/api/auth/sign-in', { method: 'POST', body: {} })).rejects.toMatchObject(
      { status: 401 },
    );
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('reads Retry-After of a 429', async () => {
    mockFetch({
      'POST /api/auth/sign-in': () =>
        new Response(JSON.stringify({ title: 'Too many requests', status: 429 }), {
          status: 429,
          headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '600' },
        }),
    });
    await expect(
      apiFetch('/api/auth/sign-in', { method: 'POST', body: {} }),
    ).rejects.toMatchObject({ status: 429, retryAfterSeconds: 600 });
  });
});
