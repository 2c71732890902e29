import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router/dom';
import { paths } from '@/config/paths';
import { configureApiClient } from '@/lib/api-client';
import { createQueryClient } from '@/lib/query-client';
import { createAppRouter } from './router';

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => {
    const created = createAppRouter();
    configureApiClient({
      // The session ended or never was: sign in, then come back here.
      onUnauthorized: () => {
        const { pathname, search } = created.state.location;
        const public_ = [paths.signIn, paths.welcome, paths.support, paths.customer];
        if (public_.includes(pathname as (typeof public_)[number])) return;
        queryClient.clear();
        void created.navigate(`${paths.signIn}?next=${encodeURIComponent(pathname + search)}`);
      },
    });
    return created;
  });
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
