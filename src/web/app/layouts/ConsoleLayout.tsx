import { MenuOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Grid, Layout, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { Brand } from '../../ui/Brand.tsx';
import { LanguageSwitch } from '../../ui/LanguageSwitch.tsx';
import { SkipLink } from '../../ui/SkipLink.tsx';
import { UserMenu } from '../../ui/UserMenu.tsx';
import { useMe } from '../auth.ts';
import { ConsoleNav } from './ConsoleNav.tsx';

const SIDER_WIDTH = 232;

/**
 * The staff console: module navigation in a sider on wide screens and in a drawer behind a menu
 * button on narrow ones, the user menu and language switch in the header.
 */
export function ConsoleLayout() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const screens = Grid.useBreakpoint();
  // Until the first measurement, assume a wide screen (the common case for staff).
  const narrow = screens.lg === false;
  const [drawerOpen, setDrawerOpen] = useState(false);

  if (!me) return null;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <SkipLink />
      <Layout.Header className="civitas-header">
        {narrow && (
          <Button
            type="text"
            icon={<MenuOutlined aria-hidden />}
            style={{ color: '#fff' }}
            aria-label={t('nav.openMenu')}
            aria-expanded={drawerOpen}
            aria-controls="console-nav-drawer"
            onClick={() => setDrawerOpen(true)}
          />
        )}
        <Brand to="/console" />
        <span className="spacer" />
        <Space size="small">
          <LanguageSwitch inverted />
          <UserMenu me={me} inverted />
        </Space>
      </Layout.Header>
      <Layout hasSider={!narrow}>
        {!narrow && (
          <Layout.Sider width={SIDER_WIDTH} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
            <ConsoleNav person={me.person} />
          </Layout.Sider>
        )}
        {narrow && (
          <Drawer
            id="console-nav-drawer"
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            title={t('nav.menu')}
            size={SIDER_WIDTH + 48}
            styles={{ body: { padding: 0 } }}
          >
            <ConsoleNav person={me.person} onNavigate={() => setDrawerOpen(false)} />
          </Drawer>
        )}
        <Layout.Content id="main" className="page-main" tabIndex={-1}>
          {me.mfaEnrollmentRequired && (
            <Alert type="warning" showIcon title={t('shell.mfaRequired')} style={{ marginBottom: 16 }} />
          )}
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
