// Talks to the JSON API. Changes carry the session's CSRF token; a lost session goes back to the login page.
let csrf = null;

export async function session() {
  const r = await fetch('/api/session', { headers: { Accept: 'application/json' } });
  const s = await r.json();
  if (s.authenticated) {
    csrf = s.csrf;
  }
  return s;
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body.error || 'HTTP ' + status) + (body.detail ? ': ' + body.detail : ''));
    this.status = status;
    this.body = body;
  }
}

async function handle(r) {
  const body = await r.json().catch(() => ({}));
  if (r.status === 401) {
    location.href = '/login.html';
  }
  if (!r.ok) {
    throw new ApiError(r.status, body);
  }
  return body;
}

export async function get(path) {
  return handle(await fetch(path, { headers: { Accept: 'application/json' } }));
}

export async function post(path, body = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (csrf) {
    headers['X-CSRF-Token'] = csrf;
  }
  return handle(await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) }));
}
