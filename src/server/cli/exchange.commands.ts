import { verifyAccessLog } from '../modules/exchange/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Config } from '../platform/config.ts';
import { auditAction } from '../platform/http/audit-action.ts';
import type { Io } from './cli-error.ts';
import { withContext } from './with-context.ts';

// `civitas exchange verify-log`: walks the exchange access log's hash chain (chaining committed
// rows first) and exits 1 if it was tampered with. The verification itself is recorded in the audit log.

export async function exchangeVerifyLogCommand(config: Config, io: Io): Promise<number> {
  return withContext(config, 'exchange verify-log', async (ctx) => {
    const result = await verifyAccessLog(ctx);
    await auditAction(ctx.db, systemActor('cli'), undefined, {
      action: 'exchange.access_log.verify',
      details: {
        ok: result.ok,
        verified: result.verified,
        ...(result.problem ? { problem: result.problem } : {}),
      },
    });
    if (result.ok) {
      io.out(`verified ${result.verified} access log entries`);
      return 0;
    }
    const p = result.problem!;
    io.out(`access log broken at entry ${p.seq} (${p.kind}): ${p.message}`);
    io.out(`verified ${result.verified} entries before it`);
    return 1;
  });
}
