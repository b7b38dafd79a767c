import { createBrowserRouter } from 'react-router';
import { PageLoading } from './components/page-loading';
import { RequireAuth } from './components/require-auth';
import { RouteError } from './components/route-error';
import { PublicLayout } from './components/public-layout';

// Every page is its own chunk: the first load carries only the shell, the client and the router.
export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    hydrateFallbackElement: <PageLoading />,
    children: [
      {
        element: <PublicLayout />,
        children: [
          { path: '/signin', lazy: () => import('./pages/sign-in-page').then((m) => ({ Component: m.SignInPage })) },
          { path: '/signup', lazy: () => import('./pages/sign-up-page').then((m) => ({ Component: m.SignUpPage })) },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          { path: '/', lazy: () => import('./pages/library-page').then((m) => ({ Component: m.LibraryPage })) },
          { path: '/chats/new', lazy: () => import('./pages/new-chat-page').then((m) => ({ Component: m.NewChatPage })) },
          { path: '/chats/:id', lazy: () => import('./pages/chat-page').then((m) => ({ Component: m.ChatPage })) },
          { path: '/imports', lazy: () => import('./pages/imports-page').then((m) => ({ Component: m.ImportsPage })) },
          { path: '/settings', lazy: () => import('./pages/settings-page').then((m) => ({ Component: m.SettingsPage })) },
          { path: '/search', lazy: () => import('./pages/search-page').then((m) => ({ Component: m.SearchPage })) },
          { path: '/tags', lazy: () => import('./pages/tags-page').then((m) => ({ Component: m.TagsPage })) },
          { path: '/trash', lazy: () => import('./pages/trash-page').then((m) => ({ Component: m.TrashPage })) },
          { path: '/stats', lazy: () => import('./pages/stats-page').then((m) => ({ Component: m.StatsPage })) },
          { path: '*', lazy: () => import('./pages/not-found-page').then((m) => ({ Component: m.NotFoundPage })) },
        ],
      },
    ],
  },
]);
