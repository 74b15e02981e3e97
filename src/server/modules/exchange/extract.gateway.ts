import type { IncomingHttpHeaders } from 'node:http';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { writeAccessLog } from './access-log.writer.ts';
import { credentialOf, hashCredential } from './credential.ts';
import { type Download, downloadExtractAsSystem, logRefusal } from './extract.service.ts';
import { readStatement, requireStatement } from './gateway.headers.ts';
import { findGrantByCredentialHash } from './subscription.repository.ts';

// GET /exchange/v1/extracts/:id: the grant's system fetches a ready extract with its credential,
// stating its purpose as for any gateway call (X-Civitas-Purpose, -Case, -User, -Withheld-Until).

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
    // The same reading as /lookup and /records: UTF-8 sent as raw bytes and RFC 8187 values decoded.
    ...readStatement(headers),
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
  try {
    requireStatement(headers, grant.confidential);
  } catch (problem) {
    if (problem instanceof AppError)
      await logRefusal(ctx, grant, { ...call, withheldUntil: null }, 'invalid', problem.status, []);
    throw problem;
  }
  return downloadExtractAsSystem(ctx, grant, extractId, meta, call);
}
