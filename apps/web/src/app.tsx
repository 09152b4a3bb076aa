import { NavLink, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { SyncStatusBar } from './components/metrics/sync-status-bar.tsx';
import { BoardPackPage } from './pages/board-pack-page.tsx';
import { DrilldownPage } from './pages/drilldown-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { TeamPage } from './pages/team-page.tsx';

function Shell() {
  const { search } = useLocation();
  return (
    <>
      <header className="app-header no-print">
        <span className="brand">Stride</span>
        <nav aria-label="Main">
          <NavLink to={`/${search}`} end>
            Overview
          </NavLink>
          <NavLink to={`/board-pack${search}`}>Board pack</NavLink>
        </nav>
        <SyncStatusBar />
      </header>
      <Outlet />
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
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
