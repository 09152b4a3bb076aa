import { lazy, Suspense } from 'react';
import { NavLink, Outlet, Route, Routes, useLocation, useMatch } from 'react-router-dom';
import { ChartOverlayProvider } from './components/charts/chart-annotations.tsx';
import { ProjectorToggle } from './components/layout/projector-toggle.tsx';
import { SessionGate, SignOutButton } from './components/layout/session-gate.tsx';
import { Loading } from './components/metrics/query-state.tsx';
import { SyncStatusBar } from './components/metrics/sync-status-bar.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { useSession } from './queries/use-session.ts';

// Pages past the overview load with their route (code splitting): the first page's script holds
// the overview's table, not the team page, the drill-downs, the board pack or the charts.
const TeamPage = lazy(() => import('./pages/team-page.tsx').then((m) => ({ default: m.TeamPage })));
const DrilldownPage = lazy(() =>
  import('./pages/drilldown-page.tsx').then((m) => ({ default: m.DrilldownPage })),
);
const AiImpactPage = lazy(() =>
  import('./pages/ai-impact-page.tsx').then((m) => ({ default: m.AiImpactPage })),
);
const AiBoardPackPage = lazy(() =>
  import('./pages/ai-board-pack-page.tsx').then((m) => ({ default: m.AiBoardPackPage })),
);
const AdminPage = lazy(() => import('./pages/admin-page.tsx').then((m) => ({ default: m.AdminPage })));
const BoardPackPage = lazy(() =>
  import('./pages/board-pack-page.tsx').then((m) => ({ default: m.BoardPackPage })),
);

function Shell() {
  const { search, pathname } = useLocation();
  // Time charts draw the events and goal targets of the page's scope: a team, or the org.
  const team = useMatch('/teams/:team')?.params.team;
  const charts = team !== undefined || pathname === '/' || pathname === '/board-pack';
  // Goals and events are edited by admins only: the link is for an admin session (the API decides).
  const admin = useSession().data?.role === 'admin';
  return (
    <>
      <header className="app-header no-print">
        <span className="brand">Stride</span>
        <nav aria-label="Main">
          <NavLink to={`/${search}`} end>
            Overview
          </NavLink>
          <NavLink to={`/ai-impact${search}`} end>
            AI impact
          </NavLink>
          <NavLink to={`/board-pack${search}`}>Board pack</NavLink>
          {admin && <NavLink to={`/admin${search}`}>Goals and events</NavLink>}
        </nav>
        <SyncStatusBar />
        <ProjectorToggle />
        <SignOutButton />
      </header>
      <SessionGate>
        <ChartOverlayProvider team={team} enabled={charts}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ChartOverlayProvider>
      </SessionGate>
    </>
  );
}

function NotFound() {
  return (
    <main className="page">
      <h1>Page not found</h1>
      <NavLink to="/">Back to the overview</NavLink>
    </main>
  );
}

/** Routes of the dashboard. Filters live in each URL's query string. */
export function App() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<OverviewPage />} />
        <Route path="teams/:team" element={<TeamPage />} />
        <Route path="drill/:kind" element={<DrilldownPage />} />
        <Route path="board-pack" element={<BoardPackPage />} />
        <Route path="admin" element={<AdminPage />} />
        <Route path="ai-impact" element={<AiImpactPage />} />
        <Route path="ai-impact/board-pack" element={<AiBoardPackPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
