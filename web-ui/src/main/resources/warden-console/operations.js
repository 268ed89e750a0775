// Operations history: a table, newest first; a row opens the steps with their timings and the hook outcomes.
import { el, time, ms } from './dom.js';

export function operationsTable(ops, expanded = new Set()) {
  if (!ops.length) return el('p', { class: 'muted' }, 'No operations yet.');
  const body = el('tbody');
  for (const op of ops) {
    const detail = el('tr', { class: 'op-detail', hidden: !expanded.has(op.id) }, el('td', { colspan: 7 }, operationDetail(op)));
    const toggle = () => {
      detail.hidden = !detail.hidden;
      if (detail.hidden) expanded.delete(op.id); else expanded.add(op.id);
    };
    const row = el('tr', { class: 'op-row', dataset: { op: op.id }, onclick: toggle },
      el('td', {}, time(op.startedAt)),
      el('td', {}, op.cluster),
      el('td', {}, op.kind.toLowerCase()),
      el('td', {}, el('span', { class: 'badge ' + outcomeClass(op.outcome) }, op.outcome.toLowerCase())),
      el('td', {}, op.startedBy),
      el('td', {}, ms(op.millis)),
      el('td', {}, op.writePauseMillis === null ? '' : ms(op.writePauseMillis)));
    body.append(row, detail);
  }
  return el('table', { class: 'ops' },
    el('thead', {}, el('tr', {}, ['Started', 'Cluster', 'Kind', 'Outcome', 'By', 'Took', 'Write pause']
      .map((h) => el('th', {}, h)))), body);
}

export function operationDetail(op) {
  return el('div', { class: 'op' },
    el('p', {}, op.summary),
    op.trigger ? el('p', { class: 'muted' }, 'Trigger: ' + op.trigger) : null,
    op.knownMissingTransactions !== null && op.knownMissingTransactions !== undefined
      ? el('p', { class: 'muted' }, 'Known transactions missing: ' + op.knownMissingTransactions + ' (with asynchronous replication the real loss can be larger)') : null,
    el('table', { class: 'steps' },
      el('thead', {}, el('tr', {}, ['#', 'Step', 'Status', 'Took', 'Detail'].map((h) => el('th', {}, h)))),
      el('tbody', {}, op.steps.map((s) => el('tr', { dataset: { status: s.status } },
        el('td', {}, s.index + 1 + (s.undo ? ' (undo)' : '')),
        el('td', {}, s.step),
        el('td', {}, el('span', { class: 'badge ' + stepClass(s.status) }, s.status.toLowerCase().replace('_', ' '))),
        el('td', {}, ms(s.millis)),
        el('td', { class: 'detail' }, s.detail))))),
    op.hooks.length ? el('table', { class: 'hooks' },
      el('thead', {}, el('tr', {}, ['Hook', 'Event', 'Status', 'Attempts', 'Took', 'Error'].map((h) => el('th', {}, h)))),
      el('tbody', {}, op.hooks.map((h) => el('tr', {},
        el('td', {}, h.hook), el('td', {}, h.event), el('td', {}, h.status.toLowerCase()),
        el('td', {}, h.attempts), el('td', {}, ms(h.millis)), el('td', {}, h.error || '')))))
      : null,
    op.evidence.length ? el('details', {}, el('summary', {}, 'Evidence'),
      el('ul', {}, op.evidence.map((v) => el('li', {}, v)))) : null);
}

export function outcomeClass(outcome) {
  return { SUCCEEDED: 'ok', RUNNING: 'info', FAILED: 'bad', ROLLED_BACK: 'warn', INTERRUPTED: 'warn' }[outcome] || '';
}

function stepClass(status) {
  return { DONE: 'ok', ALREADY_DONE: 'ok', RUNNING: 'info', PENDING: 'warn', FAILED: 'bad' }[status] || 'muted';
}
