import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { useVerifyAudit } from './api.ts';

/** Runs the integrity check of the whole log and says plainly whether it holds and, if not, where it breaks. */
export function VerifyPanel() {
  const { t } = useTranslation();
  const verify = useVerifyAudit();
  const result = verify.data;
  return (
    <div style={{ marginBottom: 16 }}>
      <Button
        icon={<SafetyCertificateOutlined aria-hidden />}
        onClick={() => verify.mutate()}
        loading={verify.isPending}
      >
        {t('audit.verify')}
      </Button>
      <div aria-live="polite" style={{ marginTop: 12 }}>
        {verify.error ? <ErrorAlert error={verify.error} /> : null}
        {result?.ok && (
          <Alert
            type="success"
            showIcon
            title={t('audit.verifyOk')}
            description={t('audit.verifyOkDetail', {
              verified: result.verified,
              lastSeq: result.lastSeq,
              checkpoints: result.checkpointsChecked,
            })}
          />
        )}
        {result && !result.ok && (
          <Alert
            type="error"
            showIcon
            title={t('audit.verifyBroken', {
              seq: result.problem?.seq ?? '?',
              kind: result.problem ? t(`audit.problem.${result.problem.kind}`) : '?',
            })}
            description={
              <>
                <div>{result.problem?.message}</div>
                <div>
                  {t('audit.verifyBrokenDetail', {
                    verified: result.verified,
                    checkpoints: result.checkpointsChecked,
                  })}
                </div>
              </>
            }
          />
        )}
      </div>
    </div>
  );
}
