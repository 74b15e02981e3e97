import {
  AuditOutlined,
  CommentOutlined,
  DatabaseOutlined,
  FundOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { Card, Col, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../app/auth.ts';
import { homeFor } from '../../../app/permissions.ts';
import { ButtonLink } from '../../../ui/ButtonLink.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';

const FEATURES = [
  { key: 'data', icon: <DatabaseOutlined aria-hidden /> },
  { key: 'services', icon: <SolutionOutlined aria-hidden /> },
  { key: 'interaction', icon: <CommentOutlined aria-hidden /> },
  { key: 'cockpit', icon: <FundOutlined aria-hidden /> },
  { key: 'trust', icon: <AuditOutlined aria-hidden /> },
] as const;

/** What the platform offers, and the way in for each kind of visitor. */
export function HomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  return (
    <>
      <PageTitle title={t('home.title')} />
      <Typography.Paragraph style={{ fontSize: 16, maxWidth: 760 }}>{t('home.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 32 }}>
        {me ? (
          <ButtonLink to={homeFor(me.person)} type="primary" size="large">
            {me.person.kind === 'staff' ? t('home.toConsole') : t('home.toAccount')}
          </ButtonLink>
        ) : (
          <>
            <ButtonLink to="/register" type="primary" size="large">
              {t('home.register')}
            </ButtonLink>
            <ButtonLink to="/sign-in" size="large">
              {t('home.signIn')}
            </ButtonLink>
          </>
        )}
      </Space>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {t('home.offersTitle')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {FEATURES.map(({ key, icon }) => (
          <Col key={key} xs={24} sm={12} lg={8}>
            <Card style={{ height: '100%' }}>
              <Typography.Title level={3} style={{ fontSize: 17, marginTop: 0 }}>
                <span style={{ color: '#0050b3', marginRight: 8 }}>{icon}</span>
                {t(`home.features.${key}.title`)}
              </Typography.Title>
              <Typography.Paragraph style={{ marginBottom: 0 }}>
                {t(`home.features.${key}.text`)}
              </Typography.Paragraph>
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Paragraph style={{ marginTop: 32 }}>
        {t('home.developers')} <a href="/api/docs">{t('home.apiDocs')}</a>
      </Typography.Paragraph>
    </>
  );
}
