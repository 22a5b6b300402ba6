// fetch for the CouchDB client (ui/sync.rs): one request, its answer as
// "status\nbody" text (one string crosses to wasm, no object glue).
// Status 0: no answer (offline, server down, CORS refused, or cancelled by
// couchCancel); -1: the client gave up after giveUpMs. Cookies go along
// (credentials: 'include'): the server's session is a cookie, and the
// password is never kept.
let run = new AbortController();

export async function couchFetch(method, url, body, giveUpMs) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), giveUpMs);
  const cancel = () => abort.abort();
  const cancelled = run.signal;
  cancelled.addEventListener('abort', cancel);
  try {
    const headers = { Accept: 'application/json' };
    if (body != null) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, {
      method, headers, body: body ?? undefined, credentials: 'include', cache: 'no-store', signal: abort.signal,
    });
    return `${res.status}\n${await res.text()}`;
  } catch (e) {
    return `${abort.signal.aborted && !cancelled.aborted ? -1 : 0}\n${e}`;
  } finally {
    clearTimeout(timer);
    cancelled.removeEventListener('abort', cancel);
  }
}

// Cancels every request still out (a new sign-in, a sign-out): a longpoll
// answered later would bring back the session cookie it was sent with, by
// then out of date, over the new one.
export function couchCancel() {
  run.abort();
  run = new AbortController();
}
