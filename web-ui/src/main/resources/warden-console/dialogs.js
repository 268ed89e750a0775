// The dangerous buttons: switchover and failover. Both show the plan first (a dry run, nothing changes), then
// ask for the cluster's name to be typed before they run; progress streams in step by step.
import { el, ms } from './dom.js';
import { post } from './api.js';
import { operationDetail, outcomeClass } from './operations.js';

const dialog = () => document.getElementById('dialog');
let progress = null; // (operation) => void while an operation of ours runs

/** Called by the app for every operation event of the stream. */
export function operationEvent(op) {
  if (progress) progress(op);
}

function open(...children) {
  const d = dialog();
  d.replaceChildren(...children);
  if (!d.open) d.showModal();
}

function close() {
  progress = null;
  dialog().close();
}

function errorBox(e) {
  const reasons = e.body && e.body.reasons ? e.body.reasons : null;
  return el('div', { class: 'error', role: 'alert', id: 'dialog-error' },
    el('p', {}, e.message), reasons ? el('ul', {}, reasons.map((r) => el('li', {}, r))) : null);
}

function planView(p) {
  return el('div', { class: 'plan', id: 'dialog-plan' },
    el('p', {}, el('strong', {}, p.summary), ' — ', p.why),
    p.kind === 'FAILOVER' ? el('p', {}, 'Known transactions missing: ' + p.knownMissingTransactions + ' (with asynchronous replication the real loss can be larger)') : null,
    el('ol', {}, p.steps.map((s) => el('li', {}, s.description))));
}

/** Type the cluster's name to arm the button. */
function confirmation(cluster, label, run) {
  const input = el('input', { id: 'confirm-name', autocomplete: 'off', placeholder: cluster });
  const button = el('button', { id: 'confirm-run', class: 'danger', disabled: true, onclick: run }, label);
  input.addEventListener('input', () => { button.disabled = input.value !== cluster; });
  return el('div', { class: 'confirm' },
    el('label', {}, 'Type the cluster name (', el('code', {}, cluster), ') to confirm: ', input), button);
}

function running(kind, cluster) {
  const box = el('div', { id: 'dialog-progress' }, el('p', { class: 'muted' }, kind + ' running…'));
  progress = (op) => {
    if (op.cluster === cluster && op.kind === kind.toUpperCase()) {
      box.replaceChildren(el('p', { class: 'muted' }, op.plan), operationDetail(op));
    }
  };
  return box;
}

function result(op) {
  return el('div', { id: 'dialog-result' },
    el('p', {}, el('span', { class: 'badge ' + outcomeClass(op.outcome), id: 'result-outcome' }, op.outcome.toLowerCase()),
      ' ', op.summary),
    op.writePauseMillis !== null ? el('p', {}, 'Writes paused ', el('strong', { id: 'write-pause' }, ms(op.writePauseMillis)),
      ' (old primary read-only to new primary writable).') : null,
    operationDetail(op));
}

export function switchover(cluster) {
  const replicas = cluster.servers.filter((s) => s.role === 'replica' && s.depth === 1);
  const target = el('select', { id: 'switchover-target' },
    el('option', { value: '' }, 'the best candidate'),
    replicas.map((r) => el('option', { value: r.address }, r.address)));
  const body = el('div', { class: 'dialog-body' });
  const show = async () => {
    body.replaceChildren(el('p', { class: 'muted' }, 'Planning…'));
    try {
      const r = await post(`/api/clusters/${encodeURIComponent(cluster.name)}/switchover`,
        { to: target.value || null, dryRun: true });
      body.replaceChildren(planView(r.plan), confirmation(cluster.name, 'Switch over', run));
    } catch (e) {
      body.replaceChildren(errorBox(e));
    }
  };
  const run = async () => {
    body.replaceChildren(running('Switchover', cluster.name));
    try {
      const op = await post(`/api/clusters/${encodeURIComponent(cluster.name)}/switchover`,
        { to: target.value || null, dryRun: false });
      progress = null;
      body.replaceChildren(result(op));
    } catch (e) {
      progress = null;
      body.replaceChildren(errorBox(e));
    }
  };
  open(el('h2', {}, 'Switchover of ' + cluster.name),
    el('p', {}, 'Moves the primary from ', el('strong', {}, cluster.primary || '?'),
      ' without losing a write: it turns read-only, the new primary catches up, then takes the writes.'),
    el('label', {}, 'New primary: ', target), ' ',
    el('button', { id: 'switchover-plan', onclick: show }, 'Show plan'),
    body,
    el('div', { class: 'dialog-buttons' }, el('button', { id: 'dialog-close', onclick: close }, 'Close')));
}

export function failover(cluster, role) {
  const body = el('div', { class: 'dialog-body' });
  const force = el('input', { type: 'checkbox', id: 'failover-force' });
  const reason = el('input', { id: 'failover-reason', placeholder: 'why (required with force)', size: 40 });
  const request = (dryRun) => ({ force: force.checked, reason: reason.value || null, dryRun });
  const run = async () => {
    body.replaceChildren(running('Failover', cluster.name));
    try {
      const op = await post(`/api/clusters/${encodeURIComponent(cluster.name)}/failover`, request(false));
      progress = null;
      body.replaceChildren(result(op));
    } catch (e) {
      progress = null;
      body.replaceChildren(errorBox(e));
    }
  };
  const show = async () => {
    try {
      const r = await post(`/api/clusters/${encodeURIComponent(cluster.name)}/failover`, request(true));
      body.replaceChildren(planView(r.plan), confirmation(cluster.name, 'Fail over', run));
    } catch (e) {
      body.replaceChildren(errorBox(e));
    }
  };
  open(el('h2', {}, 'Failover of ' + cluster.name),
    el('p', {}, 'Replaces a dead primary now, even during maintenance or the anti-flap period. '
      + 'A primary that is not confirmed dead is refused unless an admin forces it (writes may be lost).'),
    role === 'admin' ? el('p', {}, el('label', {}, force, ' force (the primary looks healthy)'), ' ', reason) : null,
    el('button', { id: 'failover-plan', onclick: show }, 'Show plan'),
    body,
    el('div', { class: 'dialog-buttons' }, el('button', { onclick: close }, 'Close')));
}
