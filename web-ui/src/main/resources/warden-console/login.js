// The login page: POST /api/login, then back to the console. The session cookie is HttpOnly; the CSRF token
// comes back from /api/session on every page load, so nothing is kept in the browser's storage.
const form = document.getElementById('login');
const error = document.getElementById('error');

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.hidden = true;
  const body = { user: form.user.value, password: form.password.value };
  try {
    const r = await fetch('/api/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    if (r.ok) {
      location.href = '/';
      return;
    }
    const j = await r.json().catch(() => ({}));
    error.textContent = (j.error || ('HTTP ' + r.status)) + (j.detail ? ': ' + j.detail : '');
  } catch (err) {
    error.textContent = 'Cannot reach Warden: ' + err.message;
  }
  error.hidden = false;
  form.password.value = '';
  form.password.focus();
});
