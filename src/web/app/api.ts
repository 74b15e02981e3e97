// The one way the web app talks to the server: same-origin JSON, typed errors, and the CSRF token
// the server hands out in GET /api/me sent back on every write.

/** An error response of the API (`{error:{code,message,details,requestId}}`), or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
    readonly requestId: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field paths named by a `validation.failed` error, with the server's message for each. */
  get fieldErrors(): { field: string; message: string }[] {
    const fields = this.details?.fields;
    if (!Array.isArray(fields)) return [];
    return fields.flatMap((f) => {
      if (!f || typeof f !== 'object') return [];
      const { path, message } = f as { path?: unknown; message?: unknown };
      if (typeof path !== 'string') return [];
      // JSON pointers ("/email") or bare names ("email", from a missing required property).
      const field = path.replace(/^\//, '').split('/')[0] ?? '';
      return field ? [{ field, message: typeof message === 'string' ? message : '' }] : [];
    });
  }
}

let csrfToken: string | null = null;

/** Remembers the session's CSRF token (from GET /api/me) for later writes. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Builds a query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Parses an error response; bodies that are not the API's error shape still yield a useful ApiError. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(
      response.status,
      error.code,
      typeof error.message === 'string' ? error.message : response.statusText,
      (error.details as Record<string, unknown> | undefined) ?? undefined,
      typeof error.requestId === 'string' ? error.requestId : undefined,
    );
  }
  return new ApiError(response.status, `http.${response.status}`, response.statusText, undefined, undefined);
}

/** Sends one request and returns the parsed JSON body (undefined for 204). FormData goes as multipart. */
export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const multipart = body instanceof FormData;
  // The browser sets multipart's content type itself, with the boundary.
  if (body !== undefined && !multipart) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err), undefined, undefined);
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body: unknown = {}) => api<T>('POST', url, body);
export const patch = <T>(url: string, body: unknown) => api<T>('PATCH', url, body);
export const del = <T = void>(url: string) => api<T>('DELETE', url);
