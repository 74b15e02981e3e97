import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { dumpPath } from '../api.ts';

const FORMATS = ['csv', 'xlsx', 'json'] as const;

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
