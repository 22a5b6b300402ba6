// fetch for the CouchDB client (ui/sync.rs): one request, its answer as
// "status\nbody" text (one string crosses to wasm, no object glue).
// Status 0: no answer (offline, server down, CORS refused); -1: the client
// gave up after giveUpMs. Cookies go along (credentials: 'include'): the
// server's session is a cookie, and the password is never kept.
export async function couchFetch(method, url, body, giveUpMs) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), giveUpMs);
  try {
    const headers = { Accept: 'application/json' };
    if (body != null) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, {
      method, headers, body: body ?? undefined, credentials: 'include', cache: 'no-store', signal: abort.signal,
    });
    return `${res.status}\n${await res.text()}`;
  } catch (e) {
    return `${abort.signal.aborted ? -1 : 0}\n${e}`;
  } finally {
    clearTimeout(timer);
  }
}
