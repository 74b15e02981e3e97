import { Layout, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { Brand } from '../../ui/Brand.tsx';
import { ButtonLink } from '../../ui/ButtonLink.tsx';
import { LanguageSwitch } from '../../ui/LanguageSwitch.tsx';
import { SkipLink } from '../../ui/SkipLink.tsx';
import { UserMenu } from '../../ui/UserMenu.tsx';
import { useMe } from '../auth.ts';
import { homeFor } from '../permissions.ts';

/** Home, sign-in, registration and the citizen's account: a header, the page, a footer. */
export function PublicLayout() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <SkipLink />
      <Layout.Header
        className="civitas-header"
        style={{ flexWrap: 'wrap', height: 'auto', minHeight: 64, lineHeight: '64px' }}
      >
        <Brand />
        <nav aria-label={t('nav.main')}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t('nav.home')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/data">{t('nav.openData')}</NavLink>
            </li>
            {me && (
              <li>
                <NavLink to={homeFor(me.person)}>
                  {me.person.kind === 'staff' ? t('nav.console') : t('nav.account')}
                </NavLink>
              </li>
            )}
            {me && (me.person.kind === 'citizen' || me.person.kind === 'business') && (
              <li>
                <NavLink to="/account/data-access">{t('nav.myData')}</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <span className="spacer" />
        <Space size="small" wrap>
          <LanguageSwitch inverted />
          {me ? (
            <UserMenu me={me} inverted />
          ) : (
            <>
              <ButtonLink to="/sign-in" size="small" ghost>
                {t('nav.signIn')}
              </ButtonLink>
              <ButtonLink to="/register" size="small">
                {t('nav.register')}
              </ButtonLink>
            </>
          )}
        </Space>
      </Layout.Header>
      {/* Layout.Content renders the page's <main> landmark. */}
      <Layout.Content id="main" className="page-main" tabIndex={-1}>
        <Outlet />
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: 'rgba(0,0,0,0.68)' }}>
        {t('shell.footer')}
      </Layout.Footer>
    </Layout>
  );
}
