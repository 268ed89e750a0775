// One cluster: the topology as a tree, each server with its live state, the failover plan that would run now,
// the findings with their evidence, the operator controls and the operations history.
import { el, time } from './dom.js';
import { sparkline } from './sparkline.js';

export function healthBadge(health) {
  return el('span', { class: 'badge health-' + health }, health);
}

/** The servers as a tree: each under the server it replicates from. */
export function topology(cluster, lagHistory) {
  const byAddress = new Map(cluster.servers.map((s) => [s.address, s]));
  const children = new Map();
  const roots = [];
  for (const s of cluster.servers) {
    if (s.source && byAddress.has(s.source) && s.source !== s.address) {
      if (!children.has(s.source)) children.set(s.source, []);
      children.get(s.source).push(s);
    } else {
      roots.push(s);
    }
  }
  const branch = (s, seen) => {
    const kids = seen.has(s.address) ? [] : (children.get(s.address) || []);
    seen.add(s.address);
    return el('li', {}, serverCard(s, lagHistory.get(s.address) || []),
      kids.length ? el('ul', {}, kids.map((k) => branch(k, seen))) : null);
  };
  const seen = new Set();
  return el('ul', { class: 'tree', id: 'topology' }, roots.map((r) => branch(r, seen)));
}

function serverCard(s, lags) {
  const reachable = s.reachability === 'reachable';
  const replica = s.ioThread !== null;
  const tags = [];
  if (s.maintenance) tags.push(el('span', { class: 'tag warn' }, 'maintenance'));
  if (s.fenced) tags.push(el('span', { class: 'tag warn' }, 'fenced'));
  if (!s.configured) tags.push(el('span', { class: 'tag' }, 'discovered'));
  return el('div', { class: 'server ' + (reachable ? '' : 'down'), dataset: { server: s.address, role: s.role } },
    el('div', { class: 'server-head' },
      el('strong', { class: 'address' }, s.address),
      el('span', { class: 'badge role-' + s.role.replace(/\s+/g, '-') }, s.role),
      el('span', { class: 'badge ' + (reachable ? 'ok' : 'bad') }, s.reachability),
      tags),
    el('dl', {},
      item('read-only', s.readOnly, s.readOnly === 'writable' && s.role !== 'primary' ? 'bad' : ''),
      replica ? item('IO / SQL', (s.ioThread || '?') + ' / ' + (s.sqlThread || '?'),
        s.ioThread === 'running' && s.sqlThread === 'running' ? '' : 'bad') : null,
      replica ? el('div', { class: 'lag' }, el('dt', {}, 'lag'),
        el('dd', {}, el('span', { class: 'lag-value' }, s.lag || 'unknown'), ' ', sparkline(lags))) : null,
      s.ioError ? item('IO error', s.ioError, 'bad') : null,
      s.sqlError ? item('SQL error', s.sqlError, 'bad') : null,
      !reachable && s.error ? item('error', s.error, 'bad') : null,
      item('GTID', s.gtidSummary, '', s.gtidExecuted, 'wide'),
      item('version', s.version),
      item('promotion', s.promotion + (s.priority ? ' (priority ' + s.priority + ')' : '')),
      item('probe', s.probeMillis + ' ms')));
}

function item(label, value, cls = '', title = null, wide = null) {
  if (value === null || value === undefined || value === '') return null;
  return el('div', { class: wide }, el('dt', {}, label), el('dd', { class: cls, title }, value));
}

export function findings(list) {
  if (!list.length) return el('p', { class: 'muted', id: 'findings' }, 'No findings: the cluster is healthy.');
  return el('div', { id: 'findings' }, list.map((f) => el('div', { class: 'finding', dataset: { code: f.code } },
    el('div', {}, el('span', { class: 'badge ' + (f.priority >= 80 ? 'bad' : 'warn') }, f.code),
      f.pending ? el('span', { class: 'tag' }, 'waiting for confirmation') : null, ' ', f.detail),
    el('div', { class: 'muted' }, f.description),
    f.votes.length ? el('table', { class: 'votes' },
      el('thead', {}, el('tr', {}, ['Observer', 'Verdict', 'Saw', 'At'].map((h) => el('th', {}, h)))),
      el('tbody', {}, f.votes.map((v) => el('tr', {},
        el('td', {}, v.observer), el('td', {}, v.verdict.toLowerCase().replace('_', ' ')), el('td', {}, v.saw),
        el('td', {}, time(v.at)))))) : null)));
}

export function plan(p) {
  if (!p) return el('p', { class: 'muted' }, 'Loading the plan…');
  if (!p.plan) return el('p', { class: 'muted', id: 'plan' }, 'No failover possible now: ' + p.reason);
  const x = p.plan;
  return el('div', { id: 'plan' },
    el('p', {}, 'If ', el('strong', {}, x.oldPrimary), ' were lost now, Warden would promote ',
      el('strong', { id: 'plan-candidate' }, x.candidate), ' (' + x.why + ').'),
    el('p', {}, 'Known transactions missing: ', el('strong', {}, String(x.knownMissingTransactions)), ' (seen on the primary or another replica, lacking on the candidate; with asynchronous replication the real loss can be larger).'),
    el('ol', { class: 'steps' }, x.steps.map((s) => el('li', {}, s.description, el('span', { class: 'muted' }, ' (within ' + s.timeoutMillis + ' ms)')))),
    x.excluded.length ? el('p', { class: 'muted' }, 'Not candidates: ' + x.excluded.map((e) => e.server + ' (' + e.reason + ')').join('; ')) : null,
    x.leftBehind.length ? el('p', { class: 'muted' }, 'Left behind: ' + x.leftBehind.map((e) => e.server + ' (' + e.reason + ')').join('; ')) : null);
}

/** Several managers: who leads this cluster, at which epoch; or that coordination is down. */
function leadershipBadge(l) {
  if (!l) return null;
  if (l.problem) return el('span', { id: 'leadership', class: 'badge bad', title: l.problem }, 'coordination down: nobody acts');
  if (l.leadsHere) return el('span', { id: 'leadership', class: 'badge ok' }, 'led here (epoch ' + l.epoch + ')');
  return el('span', { id: 'leadership', class: 'badge' }, l.leader ? 'led by ' + l.leader + ' (epoch ' + l.epoch + ')' : 'electing a leader');
}

export function controlsSummary(c, leadership, mode) {
  const parts = [];
  if (mode === 'observe') {
    parts.push(el('span', { id: 'observe-mode', class: 'badge warn', title: 'failover.mode: observe' },
      'observe mode: decides and records, changes nothing'));
  }
  const lead = leadershipBadge(leadership);
  if (lead) parts.push(lead);
  parts.push(el('span', { id: 'maintenance-state', class: 'badge ' + (c.maintenance ? 'warn' : 'muted') },
    'maintenance ' + (c.maintenance ? 'on' + (c.maintenanceUntil ? ' until ' + time(c.maintenanceUntil) : '') : 'off')));
  if (c.serversInMaintenance.length) {
    parts.push(el('span', { class: 'badge warn' }, 'servers in maintenance: '
      + c.serversInMaintenance.map((s) => s.server).join(', ')));
  }
  if (c.antiFlapActive) {
    parts.push(el('span', { id: 'anti-flap', class: 'badge warn' }, 'anti-flap until ' + time(c.antiFlapUntil)));
  }
  if (c.interrupted) {
    parts.push(el('span', { class: 'badge bad' }, 'interrupted ' + c.interrupted.operationId));
  }
  if (c.fenced.length) parts.push(el('span', { class: 'badge' }, 'fenced: ' + c.fenced.join(', ')));
  return el('div', { class: 'controls-summary' }, parts);
}

/** Observe mode: what Warden would have done, next to what happened to the cluster. */
export function observed(list) {
  if (!list || !list.length) return el('p', { class: 'muted', id: 'observed' }, 'Nothing to record yet: Warden would not have acted.');
  return el('ul', { id: 'observed' }, list.slice().reverse().map((e) => el('li', { dataset: { kind: e.kind } },
    el('span', { class: 'badge ' + (e.kind === 'would_fail_over' ? 'warn' : 'muted') },
      e.kind === 'would_fail_over' ? 'would have failed over' : 'what happened'), ' ', time(e.at), ': ', e.text)));
}
