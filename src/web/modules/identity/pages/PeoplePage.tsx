import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Dropdown, Input, Select, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { PersonDto, PersonKindName } from '../../../../contracts/identity.ts';
import { useMe } from '../../../app/auth.ts';
import { useErrorText } from '../../../app/errors.ts';
import { adminDepartmentIds } from '../../../app/permissions.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useDialog } from '../../../ui/useDialog.ts';
import { type PeopleFilter, usePeople, useUnlockPerson, useUpdatePerson } from '../api.ts';
import { CreateStaffModal } from '../components/CreateStaffModal.tsx';
import { DepartmentSelect } from '../components/DepartmentSelect.tsx';
import { EditPersonModal } from '../components/EditPersonModal.tsx';
import { IdentityVerificationModal } from '../components/IdentityVerificationModal.tsx';
import { PendingReleasesTable } from '../components/PendingReleasesTable.tsx';
import { IdentityTag, PersonStatus, RoleTags } from '../components/person-tags.tsx';
import { ResetPasswordModal } from '../components/ResetPasswordModal.tsx';
import { type PendingReleaseTarget, StopReleaseModal } from '../components/StopReleaseModal.tsx';
import { PERSON_KINDS } from '../constants.ts';

const PAGE_SIZE = 20;

/** Everyone with an account: search, filter, create staff, and the account actions admins need. */
export default function PeoplePage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message, modal } = App.useApp();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<PeopleFilter>({ limit: PAGE_SIZE, offset: 0 });
  const [search, setSearch] = useState('');
  const people = usePeople(filter);
  const update = useUpdatePerson();
  const unlock = useUnlockPerson();
  const creating = useDialog();
  const editing = useDialog<PersonDto>();
  const resetting = useDialog<PersonDto>();
  const revoking = useDialog<PersonDto>();
  const stopping = useDialog<PendingReleaseTarget>();
  // Releases of ID numbers in their notice period, with due date and asking department, to follow up.
  const [pendingOnly, setPendingOnly] = useState(false);
  const allowed = me && !me.person.isPlatformAdmin ? adminDepartmentIds(me.person) : undefined;

  const setFilterKey = (patch: Partial<PeopleFilter>) => setFilter((f) => ({ ...f, ...patch, offset: 0 }));

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      message.success(done);
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const onAction = (p: PersonDto, key: string) => {
    if (key === 'edit') editing.show(p);
    if (key === 'reset') resetting.show(p);
    // Verifying needs the holder's counter code and document, so it is done at the counter page.
    if (key === 'verifyAtCounter') {
      modal.confirm({
        title: t('people.identity.verifyAtCounter'),
        content: t('people.identity.verifyAtCounterHelp'),
        okText: t('people.identity.verifyAtCounter'),
        cancelText: t('common.cancel'),
        onOk: () => navigate('/console/identity-verification'),
      });
    }
    if (key === 'revokeIdentity') revoking.show(p);
    if (key === 'stopRelease' && p.identifierReleaseDueAt) {
      stopping.show({ id: p.id, name: p.displayName, dueAt: p.identifierReleaseDueAt });
    }
    if (key === 'unlock')
      void act(() => unlock.mutateAsync(p.id), t('people.unlocked', { name: p.username }));
    if (key === 'enable')
      void act(
        () => update.mutateAsync({ id: p.id, status: 'active' }),
        t('people.enabled', { name: p.username }),
      );
    if (key === 'disable') {
      modal.confirm({
        title: t('people.disableConfirm', { name: p.username }),
        content: t('people.disableHelp'),
        okText: t('people.disable'),
        okButtonProps: { danger: true },
        cancelText: t('common.cancel'),
        onOk: () =>
          act(
            () => update.mutateAsync({ id: p.id, status: 'disabled' }),
            t('people.disabled', { name: p.username }),
          ),
      });
    }
  };

  const columns: TableColumnsType<PersonDto> = [
    { title: t('fields.username'), dataIndex: 'username', key: 'username' },
    { title: t('fields.displayName'), dataIndex: 'displayName', key: 'displayName' },
    {
      title: t('people.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (k: PersonKindName) => t(`kinds.${k}`),
    },
    {
      title: t('people.identifier'),
      key: 'identifier',
      render: (_: unknown, p) => <code>{p.residentIdMasked ?? p.usccMasked ?? '—'}</code>,
    },
    { title: t('fields.email'), dataIndex: 'email', key: 'email', render: (v: string | null) => v ?? '—' },
    { title: t('people.roles'), key: 'roles', render: (_: unknown, p) => <RoleTags person={p} /> },
    {
      title: t('people.identity.column'),
      key: 'identity',
      render: (_: unknown, p) => <IdentityTag person={p} />,
    },
    { title: t('common.status'), key: 'status', render: (_: unknown, p) => <PersonStatus person={p} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, p) => {
        const locked = !!p.lockedUntil && new Date(p.lockedUntil) > new Date();
        const identity =
          p.kind === 'staff'
            ? null
            : p.identityVerifiedAt
              ? { key: 'revokeIdentity', label: t('people.identity.revoke') }
              : { key: 'verifyAtCounter', label: t('people.identity.verifyAtCounter') };
        const pendingRelease =
          p.identifierReleaseDueAt && !p.identityVerifiedAt
            ? { key: 'stopRelease', label: t('people.identity.stopRelease') }
            : null;
        const items = [
          { key: 'edit', label: t('common.edit') },
          identity,
          pendingRelease,
          { key: 'reset', label: t('people.resetPassword') },
          locked ? { key: 'unlock', label: t('people.unlock') } : null,
          p.status === 'active'
            ? { key: 'disable', label: t('people.disable'), danger: true }
            : { key: 'enable', label: t('people.enable') },
        ].filter((i) => i !== null);
        return (
          <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => onAction(p, key) }}>
            <Button size="small" aria-label={t('people.actionsFor', { name: p.username })}>
              {t('common.actions')} <DownOutlined aria-hidden />
            </Button>
          </Dropdown>
        );
      },
    },
  ];

  return (
    <>
      <PageTitle
        title={t('people.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => creating.show()}>
            {t('people.create')}
          </Button>
        }
      />
      <search aria-label={t('people.filters')}>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label={t('people.search')}
            placeholder={t('people.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(q) => setFilterKey({ q: q.trim() || undefined })}
            allowClear
            style={{ width: 260 }}
            enterButton={t('common.search')}
          />
          <Select<PersonKindName | undefined>
            aria-label={t('people.kind')}
            placeholder={t('people.allKinds')}
            allowClear
            style={{ width: 160 }}
            value={filter.kind}
            onChange={(kind) => setFilterKey({ kind })}
            options={PERSON_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
          />
          <DepartmentSelect
            aria-label={t('fields.department')}
            placeholder={t('people.allDepartments')}
            allowClear
            value={filter.departmentId}
            onChange={(departmentId) => setFilterKey({ departmentId })}
            style={{ width: 260 }}
          />
          <Checkbox checked={pendingOnly} onChange={(e) => setPendingOnly(e.target.checked)}>
            {t('people.identity.pendingOnly')}
          </Checkbox>
        </Space>
      </search>
      {pendingOnly && (
        <PendingReleasesTable
          key={filter.departmentId ?? 'all'}
          departmentId={filter.departmentId}
          onStop={(r) =>
            r.account.releaseDueAt &&
            stopping.show({
              id: r.account.id,
              name: r.account.displayNameMasked,
              dueAt: r.account.releaseDueAt,
            })
          }
        />
      )}
      <ErrorAlert error={pendingOnly ? undefined : people.error} />
      <Table<PersonDto>
        style={pendingOnly ? { display: 'none' } : undefined}
        rowKey="id"
        columns={columns}
        dataSource={people.data?.items ?? []}
        loading={people.isFetching}
        scroll={{ x: 'max-content' }}
        size="middle"
        pagination={{
          current: filter.offset / filter.limit + 1,
          pageSize: filter.limit,
          total: people.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (page, size) => setFilter((f) => ({ ...f, limit: size, offset: (page - 1) * size })),
        }}
      />
      <CreateStaffModal
        key={`create-${creating.key}`}
        open={creating.open}
        allowedDepartments={allowed}
        onClose={creating.hide}
      />
      <EditPersonModal
        key={`edit-${editing.key}`}
        open={editing.open}
        person={editing.value}
        onClose={editing.hide}
      />
      <ResetPasswordModal
        key={`reset-${resetting.key}`}
        open={resetting.open}
        person={resetting.value}
        onClose={resetting.hide}
      />
      <IdentityVerificationModal
        key={`revoke-${revoking.key}`}
        open={revoking.open}
        person={revoking.value}
        onClose={revoking.hide}
        onDone={(p) => message.success(t('people.identity.revokedMessage', { name: p.displayName }))}
      />
      <StopReleaseModal
        key={`stop-${stopping.key}`}
        open={stopping.open}
        target={stopping.value}
        onClose={stopping.hide}
        onDone={(r) => message.success(t('people.identity.stoppedMessage', { name: r.name }))}
      />
    </>
  );
}
