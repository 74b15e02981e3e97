import { Button, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PendingReleaseDto } from '../../../../contracts/identity.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { usePendingReleases } from '../api.ts';
import { departmentName } from '../department-tree.ts';

/**
 * Releases of ID numbers in their notice period, soonest due first, with the counter's department
 * and clerk, so admins can follow them up; each row can be stopped (the caller shows the dialog).
 * `departmentId` narrows them to releases asked by that department's counters (and those below it).
 */
export function PendingReleasesTable({
  departmentId,
  onStop,
}: {
  departmentId?: string | undefined;
  onStop: (item: PendingReleaseDto) => void;
}) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState({ limit: 20, offset: 0 });
  const releases = usePendingReleases(departmentId ? { ...page, departmentId } : page);
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : '—');

  const columns: TableColumnsType<PendingReleaseDto> = [
    {
      title: t('people.identity.account'),
      key: 'account',
      render: (_: unknown, r) => (
        <>
          {r.account.displayNameMasked} · <code>{r.account.identifierMasked}</code>
        </>
      ),
    },
    {
      title: t('people.identity.dueAt'),
      key: 'dueAt',
      render: (_: unknown, r) => date(r.account.releaseDueAt),
    },
    {
      title: t('people.identity.askingDepartment'),
      key: 'department',
      render: (_: unknown, r) =>
        r.departmentNameZh
          ? departmentName({ nameZh: r.departmentNameZh, nameEn: r.departmentNameEn ?? '' }, i18n.language)
          : t('people.identity.platform'),
    },
    {
      title: t('people.identity.requestedBy'),
      key: 'requestedBy',
      render: (_: unknown, r) => r.requestedByLabel ?? '—',
    },
    {
      title: t('people.identity.requestedAt'),
      key: 'requestedAt',
      render: (_: unknown, r) => date(r.requestedAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, r) => (
        <Button
          size="small"
          danger
          aria-label={t('people.identity.stopFor', { name: r.account.displayNameMasked })}
          onClick={() => onStop(r)}
        >
          {t('people.identity.stopRelease')}
        </Button>
      ),
    },
  ];

  return (
    <section aria-labelledby="pending-releases-title">
      <Typography.Title level={2} id="pending-releases-title" style={{ fontSize: 18 }}>
        {t('people.identity.pendingTitle')}
      </Typography.Title>
      <Typography.Paragraph>{t('people.identity.pendingIntro')}</Typography.Paragraph>
      <ErrorAlert error={releases.error} />
      <Table<PendingReleaseDto>
        rowKey={(r) => r.account.id}
        columns={columns}
        dataSource={releases.data?.items ?? []}
        loading={releases.isFetching}
        locale={{ emptyText: t('people.identity.noPending') }}
        scroll={{ x: 'max-content' }}
        size="middle"
        pagination={{
          current: page.offset / page.limit + 1,
          pageSize: page.limit,
          total: releases.data?.total ?? 0,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (p, size) => setPage({ limit: size, offset: (p - 1) * size }),
        }}
      />
    </section>
  );
}
