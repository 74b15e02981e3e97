/**
 * The `?next=` address to return to after signing in, when it is a path on this site. Anything
 * else (`https://evil.example`, `//evil.example`, `/\evil.example`) is dropped, so sign-in cannot be
 * turned into an open redirector.
 */
export function safeNext(next: string | null): string | undefined {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  return next;
}
