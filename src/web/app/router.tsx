import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router';
import { HomePage } from '../modules/identity/pages/HomePage.tsx';
import { RegisterPage } from '../modules/identity/pages/RegisterPage.tsx';
import { SignInPage } from '../modules/identity/pages/SignInPage.tsx';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';
import { Loading } from '../ui/Loading.tsx';
import { NotFoundPage } from '../ui/NotFoundPage.tsx';
import { useMe } from './auth.ts';
import { ConsoleLayout } from './layouts/ConsoleLayout.tsx';
import { PublicLayout } from './layouts/PublicLayout.tsx';
import { type ConsoleSection, canSee, usesConsole } from './permissions.ts';

// Signed-in areas load on demand: visitors of the public pages never download the console.
const OverviewPage = lazy(() => import('../modules/identity/pages/OverviewPage.tsx'));
const DepartmentsPage = lazy(() => import('../modules/identity/pages/DepartmentsPage.tsx'));
const PeoplePage = lazy(() => import('../modules/identity/pages/PeoplePage.tsx'));
const RolesPage = lazy(() => import('../modules/identity/pages/RolesPage.tsx'));
const CounterVerificationPage = lazy(() => import('../modules/identity/pages/CounterVerificationPage.tsx'));
const TokensAdminPage = lazy(() => import('../modules/identity/pages/TokensAdminPage.tsx'));
const ProfilePage = lazy(() => import('../modules/identity/pages/ProfilePage.tsx'));
const AuditPage = lazy(() => import('../modules/audit/AuditPage.tsx'));
const WorkingDaysPage = lazy(() => import('../modules/calendar/WorkingDaysPage.tsx'));
const PortalHomePage = lazy(() => import('../modules/catalog/pages/portal/PortalHomePage.tsx'));
const SearchPage = lazy(() => import('../modules/catalog/pages/portal/SearchPage.tsx'));
const DatasetPage = lazy(() => import('../modules/catalog/pages/portal/DatasetPage.tsx'));
const DepartmentPage = lazy(() => import('../modules/catalog/pages/portal/DepartmentPage.tsx'));
const ThemePage = lazy(() => import('../modules/catalog/pages/portal/ThemePage.tsx'));
const RequestDataPage = lazy(() => import('../modules/catalog/pages/portal/RequestDataPage.tsx'));
const TrackRequestPage = lazy(() => import('../modules/catalog/pages/portal/TrackRequestPage.tsx'));
const CatalogListPage = lazy(() => import('../modules/catalog/pages/console/CatalogListPage.tsx'));
const DatasetEditPage = lazy(() => import('../modules/catalog/pages/console/DatasetEditPage.tsx'));
const DataRequestsPage = lazy(() => import('../modules/catalog/pages/console/DataRequestsPage.tsx'));
const HarvestSourcesPage = lazy(() => import('../modules/catalog/harvest/pages/HarvestSourcesPage.tsx'));
const HarvestSourcePage = lazy(() => import('../modules/catalog/harvest/pages/HarvestSourcePage.tsx'));
const DataTablePage = lazy(() => import('../modules/datastore/pages/DataTablePage.tsx'));
const SharedResourcesPage = lazy(() => import('../modules/exchange/pages/ResourcesPage.tsx'));
const SharedResourcePage = lazy(() => import('../modules/exchange/pages/ResourcePage.tsx'));
const RequestAccessPage = lazy(() => import('../modules/exchange/pages/RequestAccessPage.tsx'));
const AccessRequestsPage = lazy(() => import('../modules/exchange/pages/RequestsPage.tsx'));
const AccessRequestPage = lazy(() => import('../modules/exchange/pages/RequestPage.tsx'));
const GrantsPage = lazy(() => import('../modules/exchange/pages/GrantsPage.tsx'));
const GrantPage = lazy(() => import('../modules/exchange/pages/GrantPage.tsx'));
const AccessLogPage = lazy(() => import('../modules/exchange/pages/AccessLogPage.tsx'));
const NoticesPage = lazy(() => import('../modules/exchange/pages/NoticesPage.tsx'));
const MyDataPage = lazy(() => import('../modules/exchange/pages/MyDataPage.tsx'));

/** A public page loaded on demand. */
const lazyPage = (Page: React.ComponentType) => (
  <Suspense fallback={<Loading />}>
    <Page />
  </Suspense>
);

/** Sends anonymous visitors to sign in (and back here afterwards). */
function RequireSignedIn({ children, console: forConsole }: { children: ReactNode; console?: boolean }) {
  const { data: me, isPending, error } = useMe();
  const location = useLocation();
  if (isPending) return <Loading />;
  // The server could not say who this is (down, 5xx): say so rather than pretend they signed out.
  if (error) return <ErrorAlert error={error} style={{ margin: 24 }} />;
  if (!me) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  if (forConsole && !usesConsole(me.person)) return <Navigate to="/account" replace />;
  if (!forConsole && usesConsole(me.person)) return <Navigate to="/console/profile" replace />;
  return <>{children}</>;
}

/** A console section, shown only to people whose roles allow it. */
function Section({ section, children }: { section: ConsoleSection; children: ReactNode }) {
  const { data: me } = useMe();
  if (!me) return null;
  // Until a required second factor is enrolled, the profile is the only open section.
  if (me.mfaEnrollmentRequired && section !== 'profile') return <Navigate to="/console/profile" replace />;
  if (!canSee(me.person, section)) return <NotFoundPage />;
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

export const router = createBrowserRouter([
  {
    element: <PublicLayout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/register', element: <RegisterPage /> },
      // The open-data portal. /dataset/:name is the dataset's canonical (DCAT) address: the server
      // answers RDF there when asked for it, and this page otherwise.
      { path: '/data', element: lazyPage(PortalHomePage) },
      { path: '/data/search', element: lazyPage(SearchPage) },
      { path: '/data/dataset/:name', element: lazyPage(DatasetPage) },
      { path: '/dataset/:name', element: lazyPage(DatasetPage) },
      { path: '/data/departments/:code', element: lazyPage(DepartmentPage) },
      { path: '/data/themes/:id', element: lazyPage(ThemePage) },
      { path: '/data/request', element: lazyPage(RequestDataPage) },
      { path: '/data/requests', element: lazyPage(TrackRequestPage) },
      { path: '/data/requests/:code', element: lazyPage(TrackRequestPage) },
      {
        path: '/account',
        element: (
          <RequireSignedIn>
            <Suspense fallback={<Loading />}>
              <ProfilePage />
            </Suspense>
          </RequireSignedIn>
        ),
      },
      {
        // "My data": who used records about this citizen or business (only they have any).
        path: '/account/data-access',
        element: (
          <RequireSignedIn>
            <Suspense fallback={<Loading />}>
              <MyDataPage />
            </Suspense>
          </RequireSignedIn>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  {
    path: '/console',
    element: (
      <RequireSignedIn console>
        <ConsoleLayout />
      </RequireSignedIn>
    ),
    children: [
      {
        index: true,
        element: (
          <Section section="overview">
            <OverviewPage />
          </Section>
        ),
      },
      {
        path: 'catalog',
        element: (
          <Section section="catalog">
            <CatalogListPage />
          </Section>
        ),
      },
      {
        path: 'catalog/harvest',
        element: (
          <Section section="harvest">
            <HarvestSourcesPage />
          </Section>
        ),
      },
      {
        path: 'catalog/harvest/:id',
        element: (
          <Section section="harvest">
            <HarvestSourcePage />
          </Section>
        ),
      },
      {
        path: 'catalog/:id',
        element: (
          <Section section="catalog">
            <DatasetEditPage />
          </Section>
        ),
      },
      {
        path: 'catalog/:datasetId/data/:distributionId',
        element: (
          <Section section="catalog">
            <DataTablePage />
          </Section>
        ),
      },
      {
        path: 'data-requests',
        element: (
          <Section section="dataRequests">
            <DataRequestsPage />
          </Section>
        ),
      },
      {
        path: 'exchange',
        element: (
          <Section section="exchangeResources">
            <SharedResourcesPage />
          </Section>
        ),
      },
      {
        path: 'exchange/resources/:id',
        element: (
          <Section section="exchangeResources">
            <SharedResourcePage />
          </Section>
        ),
      },
      {
        path: 'exchange/resources/:id/request',
        element: (
          <Section section="exchangeResources">
            <RequestAccessPage />
          </Section>
        ),
      },
      {
        path: 'exchange/requests',
        element: (
          <Section section="exchangeRequests">
            <AccessRequestsPage />
          </Section>
        ),
      },
      {
        path: 'exchange/requests/:id',
        element: (
          <Section section="exchangeRequests">
            <AccessRequestPage />
          </Section>
        ),
      },
      {
        path: 'exchange/grants',
        element: (
          <Section section="exchangeGrants">
            <GrantsPage />
          </Section>
        ),
      },
      {
        path: 'exchange/grants/:id',
        element: (
          <Section section="exchangeGrants">
            <GrantPage />
          </Section>
        ),
      },
      {
        path: 'exchange/access-log',
        element: (
          <Section section="exchangeLog">
            <AccessLogPage />
          </Section>
        ),
      },
      {
        path: 'exchange/notices',
        element: (
          <Section section="exchangeNotices">
            <NoticesPage />
          </Section>
        ),
      },
      {
        path: 'departments',
        element: (
          <Section section="departments">
            <DepartmentsPage />
          </Section>
        ),
      },
      {
        path: 'identity-verification',
        element: (
          <Section section="counter">
            <CounterVerificationPage />
          </Section>
        ),
      },
      {
        path: 'people',
        element: (
          <Section section="people">
            <PeoplePage />
          </Section>
        ),
      },
      {
        path: 'roles',
        element: (
          <Section section="roles">
            <RolesPage />
          </Section>
        ),
      },
      {
        path: 'tokens',
        element: (
          <Section section="tokens">
            <TokensAdminPage />
          </Section>
        ),
      },
      {
        path: 'working-days',
        element: (
          <Section section="workingDays">
            <WorkingDaysPage />
          </Section>
        ),
      },
      {
        path: 'audit',
        element: (
          <Section section="audit">
            <AuditPage />
          </Section>
        ),
      },
      {
        path: 'profile',
        element: (
          <Section section="profile">
            <ProfilePage />
          </Section>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
