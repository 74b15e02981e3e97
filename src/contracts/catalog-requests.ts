import { type Static, Type } from 'typebox';
import { DATA_REQUEST_STATUSES } from './catalog-values.ts';
import { literalUnion, Nullable, Uuid } from './common.ts';

// API shapes of "request this data": the public asks a department for data and follows the answer
// with a tracking code. Re-exported by catalog.ts.

/** URL slug of a dataset, as CKAN names them: lowercase letters, digits, '-' and '_'. */
export const DatasetName = Type.String({ minLength: 2, maxLength: 100, pattern: '^[a-z0-9][a-z0-9_-]*$' });

// ---- public data requests ("request this data") ---------------------------------------------------
export const CreateDataRequestBody = Type.Object(
  {
    datasetName: Type.Optional(DatasetName),
    departmentId: Type.Optional(Uuid),
    title: Type.String({ minLength: 2, maxLength: 200 }),
    description: Type.String({ minLength: 5, maxLength: 5000 }),
    requesterName: Type.String({ minLength: 1, maxLength: 100 }),
    requesterEmail: Type.String({ format: 'email', maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CreateDataRequestInput = Static<typeof CreateDataRequestBody>;
export const AnswerDataRequestBody = Type.Object(
  {
    status: literalUnion(['answered', 'fulfilled', 'declined'] as const),
    answer: Type.String({ minLength: 1, maxLength: 5000 }),
  },
  { additionalProperties: false },
);
export type AnswerDataRequestInput = Static<typeof AnswerDataRequestBody>;
export const DataRequestSchema = Type.Object({
  id: Uuid,
  /** What the requester keeps to follow the request without an account. */
  trackingCode: Type.String(),
  datasetName: Nullable(Type.String()),
  department: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() }),
  title: Type.String(),
  description: Type.String(),
  /** Masked outside the owning department (e.g. 张**). */
  requesterName: Type.String(),
  status: literalUnion(DATA_REQUEST_STATUSES),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Type.String()),
  createdAt: Type.String(),
});
export type DataRequestDto = Static<typeof DataRequestSchema>;
