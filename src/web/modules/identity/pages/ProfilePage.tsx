import { Alert, Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../app/auth.ts';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { ChangePasswordCard } from '../components/ChangePasswordCard.tsx';
import { CounterCodeCard } from '../components/CounterCodeCard.tsx';
import { MyTokensCard } from '../components/MyTokensCard.tsx';
import { ProfileDetailsCard } from '../components/ProfileDetailsCard.tsx';
import { TwoFactorCard } from '../components/TwoFactorCard.tsx';

/** The signed-in person's own account: details, counter code (until verified), password, second factor, API tokens. */
export default function ProfilePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  if (!me) return null;
  return (
    <>
      <PageTitle title={me.person.kind === 'staff' ? t('profile.title') : t('profile.accountTitle')} />
      {me.person.identifierReleaseDueAt && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={t('identifierRelease.pendingTitle', {
            date: new Date(me.person.identifierReleaseDueAt).toLocaleDateString(),
          })}
          description={t('identifierRelease.pendingText')}
          style={{ marginBottom: 16 }}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <ProfileDetailsCard person={me.person} />
        </Col>
        {me.person.kind !== 'staff' && !me.person.identityVerifiedAt && (
          <Col xs={24} xl={12}>
            <CounterCodeCard />
          </Col>
        )}
        <Col xs={24} xl={12}>
          <ChangePasswordCard username={me.person.username} />
        </Col>
        <Col xs={24} xl={12}>
          <TwoFactorCard enabled={me.person.totpEnabled} />
        </Col>
        <Col xs={24}>
          <MyTokensCard />
        </Col>
      </Row>
    </>
  );
}
