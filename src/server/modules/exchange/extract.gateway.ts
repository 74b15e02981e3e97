import type { IncomingHttpHeaders } from 'node:http';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { writeAccessLog } from './access-log.writer.ts';
import { credentialOf, hashCredential } from './credential.ts';
import { type Download, downloadExtractAsSystem, logRefusal } from './extract.service.ts';
import { findGrantByCredentialHash } from './subscription.repository.ts';

// GET /exchange/v1/extracts/:id: the grant's system fetches a ready extract with its credential,
// stating its purpose as for any gateway call (X-Civitas-Purpose, -Case, -User, -Withheld-Until).

const header = (headers: IncomingHttpHeaders, name: string): string | null => {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() ? s.trim().slice(0, 500) : null;
};

/** At most two years ahead: longer secrecy needs a new decision, not a far date. */
const MAX_WITHHOLD_DAYS = 731;

/** Resolves the credential and the caller's statement, then hands out the file. */
export async function downloadExtractWithCredential(
  ctx: AppContext,
  headers: IncomingHttpHeaders,
  extractId: string,
  meta: RequestMeta,
  callId: string,
  startedAt: number,
): Promise<Download> {
  const credential = credentialOf(headers);
  const grant = credential ? await findGrantByCredentialHash(ctx.db, hashCredential(credential)) : undefined;
  const call = {
    callId,
    startedAt,
    purpose: header(headers, 'x-civitas-purpose'),
    caseRef: header(headers, 'x-civitas-case'),
    userRef: header(headers, 'x-civitas-user'),
    withheldUntil: header(headers, 'x-civitas-withheld-until'),
  };
  if (!grant) {
    await writeAccessLog(ctx.db, [
      {
        at: new Date(),
        callId,
        grantId: null,
        requesterDepartmentId: null,
        ownerDepartmentId: null,
        datasetId: null,
        distributionId: null,
        systemName: null,
        userRef: call.userRef,
        operation: 'extract',
        fields: [],
        rowCount: 0,
        subjects: [],
        purpose: call.purpose,
        caseRef: call.caseRef,
        withheldUntil: null,
        latencyMs: performance.now() - startedAt,
        outcome: 'refused',
        status: 401,
      },
    ]);
    throw new AppError('exchange.credential_invalid', 401, 'A valid exchange credential is required');
  }
  const problem = statementProblem(grant.confidential, call.purpose, call.withheldUntil);
  if (problem) {
    await logRefusal(ctx, grant, call, 'invalid', problem.status, []);
    throw problem;
  }
  return downloadExtractAsSystem(ctx, grant, extractId, meta, call);
}

/** What is wrong with the caller's statement of purpose and withholding, if anything. */
function statementProblem(confidential: boolean, purpose: string | null, withheldUntil: string | null) {
  if (!purpose)
    return new AppError(
      'exchange.purpose_required',
      400,
      'State the purpose in the X-Civitas-Purpose header',
    );
  if (withheldUntil === null) return undefined;
  if (!confidential)
    return new AppError('exchange.not_confidential', 403, 'This grant does not allow withholding accesses');
  const day = /^\d{4}-\d{2}-\d{2}$/.test(withheldUntil)
    ? Date.parse(`${withheldUntil}T00:00:00Z`)
    : Number.NaN;
  if (Number.isNaN(day) || day <= Date.now() || day > Date.now() + MAX_WITHHOLD_DAYS * 86_400_000)
    return new AppError(
      'exchange.invalid_withheld_until',
      400,
      'X-Civitas-Withheld-Until must be a future date (YYYY-MM-DD) at most two years ahead',
    );
  return undefined;
}
