// Placeholder console: polls the read-only API and renders each cluster's topology as a table.
const main = document.getElementById('clusters');
const status = document.getElementById('status');

function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

function cell(row, value, cls) {
  const td = row.insertCell();
  td.textContent = text(value);
  if (cls) td.className = cls;
  return td;
}

function render(clusters) {
  main.replaceChildren();
  if (clusters.length === 0) {
    main.innerHTML = '<p class="muted">Waiting for the first probe cycle…</p>';
    return;
  }
  for (const c of clusters) {
    const section = document.createElement('section');
    const h = document.createElement('h2');
    h.textContent = c.name;
    const p = document.createElement('p');
    p.className = 'summary';
    p.textContent = c.summary;
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const t of ['server', 'role', 'reachability', 'read-only', 'IO', 'SQL', 'lag', 'version', 'GTID executed']) {
      const th = document.createElement('th');
      th.textContent = t;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const s of c.servers) {
      const row = body.insertRow();
      cell(row, '\u00a0\u00a0'.repeat(s.depth) + s.address + (s.configured ? '' : ' (discovered)'));
      cell(row, s.role);
      cell(row, s.reachability, s.reachability === 'reachable' ? 'ok' : 'bad').title = text(s.error);
      cell(row, s.readOnly);
      cell(row, s.ioThread, s.ioThread && s.ioThread !== 'running' ? 'bad' : '');
      cell(row, s.sqlThread, s.sqlThread && s.sqlThread !== 'running' ? 'bad' : '');
      cell(row, s.lag);
      cell(row, s.version);
      cell(row, s.gtidExecuted, 'gtid');
    }
    section.append(h, p, table);
    main.appendChild(section);
  }
}

async function refresh() {
  try {
    const response = await fetch('/api/clusters', { cache: 'no-store' });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    render(await response.json());
    status.textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    status.textContent = 'cannot reach the manager (' + e.message + '); retrying';
  }
}

refresh();
setInterval(refresh, 1000);
