import type { IncomingHttpHeaders } from 'node:http';
import { GATEWAY_HEADERS } from '../../../contracts/exchange-gateway.ts';
import { AppError } from '../../platform/errors.ts';

// The caller's statement of why it reads, in headers as X-Road members send X-Road-Issue and
// X-Road-UserId: purpose (required), case, the official in the calling system, and for confidential
// grants a date until which the data subjects are not shown the access.

/** At most this far ahead may an access be withheld from the data subjects. */
export const MAX_WITHHOLD_DAYS = 730;

export interface CallStatement {
  purpose: string | null;
  caseRef: string | null;
  userRef: string | null;
  withheldUntil: string | null;
}

/**
 * A header's text. HTTP carries bytes and Node reads them as Latin-1, so UTF-8 text (Chinese) is
 * decoded again; RFC 8187 values (`utf-8''%E5%8A%9E…`) are accepted too.
 */
function headerText(headers: IncomingHttpHeaders, name: string, max: number): string | null {
  const raw = headers[name];
  if (typeof raw !== 'string') return null;
  let value = raw.trim();
  if (/^utf-8''/i.test(value)) {
    try {
      value = decodeURIComponent(value.slice(7));
    } catch {
      throw new AppError('exchange.invalid_header', 400, `${name} is not valid percent-encoded UTF-8`);
    }
  } else if (/[\u0080-\u00ff]/.test(value)) {
    const decoded = Buffer.from(value, 'latin1').toString('utf8');
    if (!decoded.includes('\ufffd')) value = decoded;
  }
  if (value === '') return null;
  if (value.length > max)
    throw new AppError('exchange.invalid_header', 400, `${name} is longer than ${max} characters`);
  return value;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The statement as far as it can be read; a bad value is left null here and refused by requireStatement. */
export function readStatement(headers: IncomingHttpHeaders): CallStatement {
  const safe = (name: string, max: number) => {
    try {
      return headerText(headers, name, max);
    } catch {
      return null;
    }
  };
  const w = headers[GATEWAY_HEADERS.withheldUntil];
  return {
    purpose: safe(GATEWAY_HEADERS.purpose, 500),
    caseRef: safe(GATEWAY_HEADERS.case, 200),
    userRef: safe(GATEWAY_HEADERS.user, 200),
    withheldUntil: typeof w === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(w.trim()) ? w.trim() : null,
  };
}

/** Checks the statement for a grant (confidential or not); throws the refusal a bad one earns. */
export function requireStatement(headers: IncomingHttpHeaders, confidential: boolean, now = Date.now()) {
  const purpose = headerText(headers, GATEWAY_HEADERS.purpose, 500);
  if (!purpose)
    throw new AppError(
      'exchange.purpose_required',
      400,
      'State the purpose of the call in the X-Civitas-Purpose header',
    );
  headerText(headers, GATEWAY_HEADERS.case, 200);
  headerText(headers, GATEWAY_HEADERS.user, 200);
  const raw = headers[GATEWAY_HEADERS.withheldUntil];
  if (raw === undefined) return;
  const value = typeof raw === 'string' ? raw.trim() : '';
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(at) || isoDay(at) !== value)
    throw new AppError(
      'exchange.invalid_withheld_until',
      400,
      'X-Civitas-Withheld-Until must be a date (YYYY-MM-DD)',
    );
  if (!confidential)
    throw new AppError(
      'exchange.withholding_not_allowed',
      403,
      'This grant does not allow withholding accesses from the data subjects',
    );
  const today = Date.parse(`${isoDay(now)}T00:00:00Z`);
  if (at <= today || at > today + MAX_WITHHOLD_DAYS * DAY_MS)
    throw new AppError(
      'exchange.invalid_withheld_until',
      400,
      `X-Civitas-Withheld-Until must be after today and at most ${MAX_WITHHOLD_DAYS} days ahead`,
      { max: isoDay(today + MAX_WITHHOLD_DAYS * DAY_MS) },
    );
}
