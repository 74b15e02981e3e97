import { Alert, Card, Col, List, Row, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../app/auth.ts';
import { type ConsoleSection, canSee } from '../../../app/permissions.ts';
import { ButtonLink } from '../../../ui/ButtonLink.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useDepartments, usePeople } from '../api.ts';
import { departmentName } from '../department-tree.ts';

const SHORTCUTS: { section: ConsoleSection; path: string }[] = [
  { section: 'departments', path: '/console/departments' },
  { section: 'people', path: '/console/people' },
  { section: 'roles', path: '/console/roles' },
  { section: 'audit', path: '/console/audit' },
  { section: 'profile', path: '/console/profile' },
];

function Counts() {
  const { t } = useTranslation();
  const departments = useDepartments();
  const people = usePeople({ kind: 'staff', limit: 1, offset: 0 });
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      <Col xs={24} sm={12}>
        <Card>
          <Statistic
            title={t('overview.departments')}
            value={departments.data?.length ?? '—'}
            loading={departments.isPending}
          />
        </Card>
      </Col>
      <Col xs={24} sm={12}>
        <Card>
          <Statistic
            title={t('overview.staff')}
            value={people.data?.total ?? '—'}
            loading={people.isPending}
          />
        </Card>
      </Col>
    </Row>
  );
}

/** The console's start page: who you are here, what you may do, and where to go. */
export default function OverviewPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  if (!me) return null;
  const { person } = me;
  return (
    <>
      <PageTitle title={t('overview.title')} />
      <Typography.Paragraph>{t('overview.welcome', { name: person.displayName })}</Typography.Paragraph>
      {!person.totpEnabled && (
        <Alert
          type="info"
          showIcon
          title={t('overview.enableMfa')}
          action={
            <ButtonLink to="/console/profile" size="small">
              {t('overview.goProfile')}
            </ButtonLink>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {person.isPlatformAdmin && <Counts />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card
            title={
              <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                {t('overview.yourRoles')}
              </Typography.Title>
            }
          >
            {person.isPlatformAdmin && <Tag color="processing">{t('roles.platform_admin')}</Tag>}
            <List
              dataSource={person.roles}
              locale={{ emptyText: person.isPlatformAdmin ? ' ' : t('overview.noRoles') }}
              renderItem={(r) => (
                <List.Item>
                  <span>
                    {departmentName(
                      { nameZh: r.departmentNameZh, nameEn: r.departmentNameEn },
                      i18n.language,
                    )}
                  </span>
                  <Tag>{t(`roles.${r.role}`)}</Tag>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={
              <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                {t('overview.shortcuts')}
              </Typography.Title>
            }
          >
            <List
              dataSource={SHORTCUTS.filter((s) => canSee(person, s.section))}
              renderItem={(s) => (
                <List.Item>
                  <ButtonLink to={s.path} type="link" style={{ padding: 0 }}>
                    {t(`nav.${s.section}`)}
                  </ButtonLink>
                  <Typography.Text type="secondary">{t(`overview.about.${s.section}`)}</Typography.Text>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
