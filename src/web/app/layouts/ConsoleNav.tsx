import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  CloudDownloadOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  FileSearchOutlined,
  FormOutlined,
  IdcardOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  ShareAltOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Menu, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import type { PersonDto } from '../../../contracts/identity.ts';
import { NoticeCount } from '../../modules/exchange/components/NoticeCount.tsx';
import { type ConsoleSection, canSee } from '../permissions.ts';

type Item = NonNullable<MenuProps['items']>[number];

const PATHS: Record<ConsoleSection, string> = {
  overview: '/console',
  catalog: '/console/catalog',
  dataRequests: '/console/data-requests',
  harvest: '/console/catalog/harvest',
  departments: '/console/departments',
  people: '/console/people',
  roles: '/console/roles',
  tokens: '/console/tokens',
  workingDays: '/console/working-days',
  audit: '/console/audit',
  exchangeResources: '/console/exchange',
  exchangeRequests: '/console/exchange/requests',
  exchangeGrants: '/console/exchange/grants',
  exchangeLog: '/console/exchange/access-log',
  exchangeNotices: '/console/exchange/notices',
  counter: '/console/identity-verification',
  profile: '/console/profile',
};

const ICONS: Record<ConsoleSection, React.ReactNode> = {
  overview: <DashboardOutlined aria-hidden />,
  catalog: <DatabaseOutlined aria-hidden />,
  dataRequests: <FormOutlined aria-hidden />,
  harvest: <CloudDownloadOutlined aria-hidden />,
  departments: <ApartmentOutlined aria-hidden />,
  people: <TeamOutlined aria-hidden />,
  roles: <SafetyCertificateOutlined aria-hidden />,
  tokens: <KeyOutlined aria-hidden />,
  workingDays: <CalendarOutlined aria-hidden />,
  audit: <AuditOutlined aria-hidden />,
  exchangeResources: <ShareAltOutlined aria-hidden />,
  exchangeRequests: <FormOutlined aria-hidden />,
  exchangeGrants: <SolutionOutlined aria-hidden />,
  exchangeLog: <FileSearchOutlined aria-hidden />,
  exchangeNotices: <BellOutlined aria-hidden />,
  counter: <IdcardOutlined aria-hidden />,
  profile: <UserOutlined aria-hidden />,
};

const GROUPS: { key: string; sections: ConsoleSection[] }[] = [
  { key: 'general', sections: ['overview'] },
  { key: 'data', sections: ['catalog', 'dataRequests', 'harvest'] },
  {
    key: 'exchange',
    sections: ['exchangeResources', 'exchangeRequests', 'exchangeGrants', 'exchangeLog', 'exchangeNotices'],
  },
  { key: 'serviceHall', sections: ['counter'] },
  { key: 'administration', sections: ['departments', 'people', 'roles', 'tokens', 'workingDays'] },
  { key: 'trust', sections: ['audit'] },
  { key: 'me', sections: ['profile'] },
];

/** The section the current address belongs to (for the highlighted menu entry). */
function currentSection(pathname: string): ConsoleSection {
  // The longest matching path wins: /console/catalog/harvest is harvesting, not the catalog.
  const found = (Object.entries(PATHS) as [ConsoleSection, string][])
    .filter(([section, path]) => section !== 'overview' && pathname.startsWith(path))
    .sort(([, a], [, b]) => b.length - a.length)[0];
  return found ? found[0] : 'overview';
}

/** Module navigation of the console, listing only what the person's roles open. */
export function ConsoleNav({ person, onNavigate }: { person: PersonDto; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const items: Item[] = GROUPS.flatMap(({ key, sections }) => {
    const visible = sections.filter((s) => canSee(person, s));
    if (visible.length === 0) return [];
    return [
      {
        type: 'group' as const,
        key,
        label: t(`nav.group.${key}`),
        children: visible.map((s) => ({
          key: s,
          icon: ICONS[s],
          // Open reminders and escalations show as a count beside their entry.
          label:
            s === 'exchangeNotices' ? (
              <>
                {t(`nav.${s}`)}
                <NoticeCount />
              </>
            ) : (
              t(`nav.${s}`)
            ),
        })),
      },
    ];
  });
  return (
    <nav aria-label={t('nav.console')}>
      <Menu
        mode="inline"
        items={items}
        selectedKeys={[currentSection(location.pathname)]}
        onClick={({ key }) => {
          navigate(PATHS[key as ConsoleSection]);
          onNavigate?.();
        }}
        style={{ borderInlineEnd: 'none' }}
      />
    </nav>
  );
}
