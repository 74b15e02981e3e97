import { Alert } from 'antd';
import { CodeBlock } from '../../catalog/components/CodeBlock.tsx';

/** A secret the server shows once: a warning that says so, and the value in a copyable box. */
export function SecretBox({
  title,
  warning,
  label,
  value,
}: {
  title: string;
  warning: string;
  label: string;
  value: string;
}) {
  return (
    <Alert
      type="warning"
      showIcon
      role="status"
      title={title}
      style={{ marginBottom: 16 }}
      description={
        <>
          <p>{warning}</p>
          <CodeBlock code={value} label={label} />
        </>
      }
    />
  );
}
