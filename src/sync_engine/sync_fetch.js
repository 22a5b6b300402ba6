// fetch for the CouchDB client (sync_engine): one request, its answer as
// {status, body} (the engine reads it as its `FetchReply` type). Status 0:
// no answer (offline, server down, CORS refused, or cancelled by
// couchCancel; `body` says why); -1: the client gave up after giveUpMs. Cookies go along
// (credentials: 'include'): the server's session is a cookie, and the
// password is never kept.
let run = new AbortController();
// The longpolls out now: see couchEndLongpoll.
const longpolls = new Set();

export async function couchFetch(method, url, body, giveUpMs) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), giveUpMs);
  const cancel = () => abort.abort();
  const cancelled = run.signal;
  cancelled.addEventListener('abort', cancel);
  const longpoll = url.includes('feed=longpoll');
  if (longpoll) longpolls.add(abort);
  try {
    const headers = { Accept: 'application/json' };
    if (body != null) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, {
      method, headers, body: body ?? undefined, credentials: 'include', cache: 'no-store', signal: abort.signal,
    });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    return { status: abort.signal.aborted && !cancelled.aborted ? -1 : 0, body: String(e) };
  } finally {
    clearTimeout(timer);
    cancelled.removeEventListener('abort', cancel);
    longpolls.delete(abort);
  }
}

// Cancels every request still out (a new sign-in, a sign-out): a longpoll
// answered later would bring back the session cookie it was sent with, by
// then out of date, over the new one.
export function couchCancel() {
  run.abort();
  run = new AbortController();
}

// Ends the longpoll out now, as if it had timed out (the device woke: the
// network came back, the page was shown), so the database is asked about at
// once rather than when the longpoll ends: a database restored or lost
// meanwhile is noticed in a moment, not after a minute of 已同步.
export function couchEndLongpoll() {
  for (const abort of longpolls) abort.abort();
}
