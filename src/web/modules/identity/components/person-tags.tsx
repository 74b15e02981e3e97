import { ExclamationCircleOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonDto } from '../../../../contracts/identity.ts';
import { departmentName } from '../department-tree.ts';

/** A person's roles as "department · role" tags, platform admin first. */
export function RoleTags({ person }: { person: PersonDto }) {
  const { t, i18n } = useTranslation();
  if (!person.isPlatformAdmin && person.roles.length === 0) return <>—</>;
  return (
    <>
      {person.isPlatformAdmin && <Tag color="processing">{t('roles.platform_admin')}</Tag>}
      {person.roles.map((r) => (
        <Tag key={r.id}>
          {departmentName({ nameZh: r.departmentNameZh, nameEn: r.departmentNameEn }, i18n.language)} ·{' '}
          {t(`roles.${r.role}`)}
        </Tag>
      ))}
    </>
  );
}

/** Active, disabled or locked (until when). */
export function PersonStatus({ person }: { person: PersonDto }) {
  const { t } = useTranslation();
  const lockedUntil = person.lockedUntil ? new Date(person.lockedUntil) : undefined;
  if (person.status === 'disabled') return <Tag>{t('people.status.disabled')}</Tag>;
  if (lockedUntil && lockedUntil > new Date()) {
    return <Tag color="warning">{t('people.lockedUntil', { time: lockedUntil.toLocaleString() })}</Tag>;
  }
  return <Tag color="success">{t('people.status.active')}</Tag>;
}

/** Whether staff have verified a resident's or business's identity; nothing for staff accounts. */
export function IdentityTag({ person }: { person: PersonDto }) {
  const { t } = useTranslation();
  if (person.kind === 'staff') return <>—</>;
  if (!person.identityVerifiedAt) {
    const due = person.identifierReleaseDueAt;
    return (
      <>
        {/* A plain tag with an icon: the coloured warning tag's text falls short of WCAG contrast. */}
        <Tag icon={<ExclamationCircleOutlined aria-hidden />}>{t('people.identity.unverified')}</Tag>
        {due && (
          <Tag>{t('people.identity.releasePending', { date: new Date(due).toLocaleDateString() })}</Tag>
        )}
      </>
    );
  }
  const time = new Date(person.identityVerifiedAt).toLocaleString();
  return (
    <Tag color="success" title={t('people.identity.verifiedAt', { time })}>
      {t('people.identity.verified')}
    </Tag>
  );
}
