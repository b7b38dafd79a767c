import { useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ToastProvider } from './components/toasts';
import { createApiClient, createQueryClient, TRPCProvider } from './lib/trpc';
import { router } from './router';

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createApiClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {/* Above the router: a notification outlives the page that raised it. */}
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
