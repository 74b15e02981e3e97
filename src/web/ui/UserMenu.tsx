import { DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { MeDto } from '../../contracts/identity.ts';
import { useSignOut } from '../app/auth.ts';
import { usesConsole } from '../app/permissions.ts';

/** The signed-in person's name, opening their profile and sign-out. */
export function UserMenu({ me, inverted = false }: { me: MeDto; inverted?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const profilePath = usesConsole(me.person) ? '/console/profile' : '/account';
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'profile', icon: <UserOutlined />, label: t('nav.profile') },
          { type: 'divider' },
          { key: 'signOut', icon: <LogoutOutlined />, label: t('nav.signOut') },
        ],
        onClick: ({ key }) => {
          if (key === 'profile') navigate(profilePath);
          if (key === 'signOut') signOut.mutate(undefined, { onSettled: () => navigate('/') });
        },
      }}
    >
      <Button
        type="text"
        style={inverted ? { color: '#fff' } : undefined}
        aria-label={t('nav.userMenu', { name: me.person.displayName })}
      >
        <UserOutlined aria-hidden /> <span className="user-name">{me.person.displayName}</span>{' '}
        <DownOutlined aria-hidden />
      </Button>
    </Dropdown>
  );
}
