import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { DUMP_FORMATS } from '../../../../contracts/datastore-values.ts';
import { dumpPath } from '../api.ts';

// Every format the dump serves (CSV, TSV, XLSX, JSON), so the buttons never fall behind the API.
const FORMATS = DUMP_FORMATS;

/** Downloads of the whole current table, one button per format (the dump masks as the API does). */
export function DownloadButtons({ distributionId, name }: { distributionId: string; name: string }) {
  const { t } = useTranslation();
  return (
    <Space wrap size={8}>
      {FORMATS.map((f) => (
        <Button
          key={f}
          href={dumpPath(distributionId, f)}
          icon={<DownloadOutlined aria-hidden />}
          aria-label={`${t('datastore.common.downloadAs', { format: f.toUpperCase() })} · ${name}`}
        >
          {f.toUpperCase()}
        </Button>
      ))}
    </Space>
  );
}
