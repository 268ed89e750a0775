// Warden's console: plain ES modules, no build step, no CDN. State comes from the API once, then from the live
// stream; the view is redrawn from that state when it changes.
import { el } from './dom.js';
import { session, get, post } from './api.js';
import { connect } from './stream.js';
import { topology, findings, plan, controlsSummary, healthBadge, observed } from './cluster.js';
import { operationsTable, operationDetail } from './operations.js';
import * as dialogs from './dialogs.js';

const LAG_POINTS = 60;
const state = {
  me: null,
  clusters: new Map(),     // name -> cluster JSON
  lags: new Map(),         // address -> recent lag seconds
  plans: new Map(),        // name -> {plan, reason}
  operations: null,        // recent operations, newest first
  expanded: new Set(),     // operation ids whose steps are shown
};
const view = document.getElementById('view');

const can = (role) => ['viewer', 'operator', 'admin'].indexOf(state.me.role) >= ['viewer', 'operator', 'admin'].indexOf(role);

function route() {
  const h = location.hash.replace(/^#/, '') || '/';
  const parts = h.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || 'clusters', arg: parts[1] };
}

function render() {
  const r = route();
  if (r.page === 'clusters' && r.arg) return renderCluster(r.arg);
  if (r.page === 'operations') return renderOperations(r.arg);
  return renderList();
}

/** Rebuilds the children of #id only when what they show changed, so buttons and open rows survive cycles. */
function part(id, key, build) {
  const e = document.getElementById(id);
  if (!e || e.dataset.key === key) return;
  e.dataset.key = key;
  e.replaceChildren(...[build()].flat().filter(Boolean));
}

/** Lays out a page once; its parts are then updated in place. */
function page(name, build) {
  if (view.dataset.page !== name) {
    view.dataset.page = name;
    view.replaceChildren(...build());
  }
}

function renderList() {
  if (!state.clusters.size) {
    view.dataset.page = '';
    view.replaceChildren(el('p', { class: 'muted' }, 'Waiting for the first probe cycle…'));
    return;
  }
  page('list', () => [el('h1', {}, 'Clusters'), el('div', { class: 'cards', id: 'cluster-list' })]);
  const cards = [...state.clusters.values()];
  part('cluster-list', JSON.stringify(cards.map((c) => [c.name, c.health, c.primary, c.servers.length, c.summary])),
    () => cards.map((c) => el('a', { class: 'card cluster-card', href: '#/clusters/' + encodeURIComponent(c.name), dataset: { cluster: c.name } },
      el('h2', {}, c.name, ' ', healthBadge(c.health)),
      el('p', {}, 'primary ', el('strong', {}, c.primary || 'none'), ', ', c.servers.length, ' servers'),
      el('p', { class: 'muted summary' }, c.summary))));
}

function renderCluster(name) {
  const c = state.clusters.get(name);
  if (!c) {
    view.dataset.page = '';
    view.replaceChildren(el('p', { class: 'muted' }, 'No data for cluster ' + name + ' yet.'));
    return;
  }
  page('cluster:' + name, () => [
    el('h1', { id: 'title' }), el('p', { class: 'summary', id: 'summary' }), el('div', { class: 'toolbar', id: 'toolbar' }),
    el('p', { id: 'action-result', class: 'muted' }), el('div', { id: 'controls' }),
    el('section', {}, el('h2', {}, 'Topology'), el('div', { id: 'topology-box' })),
    el('section', {}, el('h2', {}, 'Findings'), el('div', { id: 'findings-box' })),
    el('section', { id: 'observed-section' }, el('h2', {}, 'Observe mode'), el('div', { id: 'observed-box' })),
    el('section', {}, el('h2', {}, 'Failover plan'), el('div', { id: 'plan-box' })),
    el('section', {}, el('h2', {}, 'Operations'), el('div', { id: 'ops-box' }))]);
  part('title', c.name + c.health, () => [c.name, ' ', healthBadge(c.health)]);
  part('summary', c.summary, () => c.summary);
  part('toolbar', JSON.stringify([c.controls, c.running, state.me.role]), () => toolbar(c));
  part('action-result', state.lastAction || '', () => state.lastAction || '');
  part('controls', JSON.stringify([c.controls, c.leadership, c.mode]), () => controlsSummary(c.controls, c.leadership, c.mode));
  document.getElementById('observed-section').hidden = c.mode !== 'observe';
  part('observed-box', JSON.stringify(c.observed || null), () => observed(c.observed));
  part('topology-box', JSON.stringify([c.servers, c.servers.map((s) => state.lags.get(s.address))]),
    () => topology(c, state.lags));
  part('findings-box', JSON.stringify(c.findings), () => findings(c.findings));
  part('plan-box', JSON.stringify(state.plans.get(name) || null), () => plan(state.plans.get(name)));
  const ops = (state.operations || []).filter((o) => o.cluster === name);
  part('ops-box', JSON.stringify(ops), () => operationsTable(ops, state.expanded));
}

function toolbar(c) {
  const name = c.name;
  const buttons = [];
  if (can('operator')) {
    buttons.push(el('button', { id: 'switchover', onclick: () => dialogs.switchover(state.clusters.get(name)) }, 'Switchover…'));
    buttons.push(el('button', { id: 'failover', onclick: () => dialogs.failover(state.clusters.get(name), state.me.role) }, 'Failover…'));
    const duration = el('select', { id: 'maintenance-for' },
      el('option', { value: '' }, 'until turned off'), el('option', { value: '30m' }, 'for 30 minutes'),
      el('option', { value: '2h' }, 'for 2 hours'), el('option', { value: '1d' }, 'for 1 day'));
    buttons.push(el('span', { class: 'group' },
      el('button', { id: 'maintenance', onclick: () => action(`/api/clusters/${encodeURIComponent(name)}/maintenance`,
        c.controls.maintenance ? { enabled: false } : { enabled: true, for: duration.value || null },
        c.controls.maintenance ? 'Maintenance ended: automation resumed.' : 'Maintenance started: automation suspended.') },
      c.controls.maintenance ? 'End maintenance' : 'Start maintenance'), c.controls.maintenance ? null : duration));
    if (c.controls.antiFlapActive || c.controls.interrupted) {
      buttons.push(el('button', { id: 'acknowledge', onclick: () => action(`/api/clusters/${encodeURIComponent(name)}/acknowledge`, {},
        'Acknowledged: automatic failover is allowed again.') },
        'Acknowledge'));
    }
  }
  if (c.running) buttons.push(el('span', { class: 'badge info' }, 'running: ' + c.running.plan));
  return buttons;
}

function showOperation(op) {
  view.dataset.page = 'operation:' + op.id;
  view.replaceChildren(el('h1', {}, op.id), operationDetail(op));
}

async function renderOperations(id) {
  if (id) {
    if (view.dataset.page === 'operation:' + id) return;
    try {
      showOperation(await get('/api/operations/' + encodeURIComponent(id)));
    } catch (e) {
      view.replaceChildren(el('p', { class: 'error' }, e.message));
    }
    return;
  }
  page('operations', () => [el('h1', {}, 'Operations'), el('div', { id: 'all-ops' })]);
  part('all-ops', JSON.stringify(state.operations || []), () => operationsTable(state.operations || [], state.expanded));
}

async function action(path, body, done) {
  try {
    await post(path, body);
    state.lastAction = done;
  } catch (e) {
    state.lastAction = e.message;
  }
  await refreshCluster(route().arg);
}

async function refreshCluster(name) {
  if (!name) return;
  try {
    state.clusters.set(name, await get('/api/clusters/' + encodeURIComponent(name)));
  } catch (e) { /* the stream brings it */ }
  render();
}

async function refreshPlan(name) {
  try {
    state.plans.set(name, await get('/api/clusters/' + encodeURIComponent(name) + '/plan'));
  } catch (e) {
    state.plans.set(name, { plan: null, reason: e.message });
  }
}

let opsTimer = null;
function refreshOperations() {
  clearTimeout(opsTimer);
  opsTimer = setTimeout(async () => {
    try {
      state.operations = await get('/api/operations?limit=100');
      render();
    } catch (e) { /* shown on the next success */ }
  }, 300);
}

function onCluster(c) {
  state.clusters.set(c.name, c);
  for (const s of c.servers) {
    if (s.ioThread === null) continue;
    const list = state.lags.get(s.address) || [];
    list.push(s.lagSeconds);
    while (list.length > LAG_POINTS) list.shift();
    state.lags.set(s.address, list);
  }
  if (c.cycle % 5 === 1 || !state.plans.has(c.name)) {
    refreshPlan(c.name).then(render);
  }
  const d = document.getElementById('dialog');
  if (!d.open) render();
}

function onOperation(op) {
  dialogs.operationEvent(op);
  if (view.dataset.page === 'operation:' + op.id) showOperation(op);
  refreshOperations();
}

function streamState(s) {
  const e = document.getElementById('stream-state');
  e.textContent = { live: 'live', reconnecting: 'stream lost — reconnecting…', reconnected: 'reconnected' }[s] || s;
  e.className = 'pill ' + (s === 'reconnecting' ? 'bad' : 'ok');
  const banner = document.getElementById('banner');
  banner.hidden = s !== 'reconnecting';
  banner.textContent = 'The live stream was lost; reconnecting. What you see may be out of date.';
  if (s === 'reconnected') {
    setTimeout(() => { if (e.textContent === 'reconnected') e.textContent = 'live'; }, 3000);
  }
}

async function main() {
  const s = await session();
  if (!s.authenticated) {
    location.href = '/login.html';
    return;
  }
  state.me = s;
  document.getElementById('who').textContent = s.user + ' (' + s.role + ')';
  document.body.dataset.role = s.role;
  const logout = document.getElementById('logout');
  logout.hidden = !s.accessControl;
  logout.addEventListener('click', async () => {
    await post('/api/logout', {}).catch(() => {});
    location.href = '/login.html';
  });
  for (const c of await get('/api/clusters')) onCluster(c);
  state.operations = await get('/api/operations?limit=100');
  window.addEventListener('hashchange', render);
  document.getElementById('dialog').addEventListener('close', render);
  connect({ cluster: onCluster, operation: onOperation }, streamState);
  render();
}

main().catch((e) => view.replaceChildren(el('p', { class: 'error' }, 'The console could not start: ' + e.message)));
