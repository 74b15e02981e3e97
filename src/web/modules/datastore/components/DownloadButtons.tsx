import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DUMP_FORMATS } from '../../../../contracts/datastore-values.ts';
import { dumpPath } from '../api.ts';
import { dumpSearch, type RowsParams } from '../query.ts';

// Every format the dump serves (CSV, TSV, XLSX, JSON), so the buttons never fall behind the API.
const FORMATS = DUMP_FORMATS;

function FormatButtons({
  distributionId,
  name,
  search,
}: {
  distributionId: string;
  name: string;
  search?: Record<string, string> | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Space wrap size={8}>
      {FORMATS.map((f) => (
        <Button
          key={f}
          href={dumpPath(distributionId, f, undefined, search)}
          icon={<DownloadOutlined aria-hidden />}
          aria-label={`${t(search ? 'datastore.common.downloadRowsAs' : 'datastore.common.downloadAs', { format: f.toUpperCase() })} · ${name}`}
        >
          {f.toUpperCase()}
        </Button>
      ))}
    </Space>
  );
}

/**
 * Downloads of the current table, one button per format (the dump masks as the API does). Given the
 * preview's `rows`, it also offers the rows shown there — all pages of them, searched, filtered and
 * ordered the same — as long as something narrows or orders them.
 */
export function DownloadButtons({
  distributionId,
  name,
  rows,
}: {
  distributionId: string;
  name: string;
  rows?: RowsParams | undefined;
}) {
  const { t } = useTranslation();
  const search = rows && dumpSearch(rows);
  if (!search) return <FormatButtons distributionId={distributionId} name={name} />;
  return (
    <Space orientation="vertical" size={8}>
      <Space wrap size={8}>
        <Typography.Text>{t('datastore.portal.downloadRows')}</Typography.Text>
        <FormatButtons distributionId={distributionId} name={name} search={search} />
      </Space>
      <Space wrap size={8}>
        <Typography.Text>{t('datastore.portal.downloadWhole')}</Typography.Text>
        <FormatButtons distributionId={distributionId} name={name} />
      </Space>
    </Space>
  );
}
