// The Keys & plans view: the API keys (create, enable, disable), the
// usage plans with their keys, and each key's usage against its quota.

import { api, h, seg, action, say, fmtInt, fmtTime, fmtRate } from './lib.js';
import { chart } from './chart.js';

const DAY = 86_400_000;
const PERIODS = { DAY: 'today', WEEK: 'this week', MONTH: 'this month' };

const form = document.getElementById('new-key');
const created = document.getElementById('new-key-value');

form.addEventListener('submit', (e) => {
  e.preventDefault();
  action(form.querySelector('button'), async () => {
    const k = await api('POST', 'api/apikeys', {
      name: form.elements.name.value,
      description: form.elements.description.value,
    });
    form.reset();
    // The value lives only in this element, until Done or another view.
    document.getElementById('new-key-name').textContent = k.Name;
    document.getElementById('key-value').textContent = k.Value;
    created.hidden = false;
    created.focus();
    await show();
    say(`Created the key ${k.Name} (${k.ID}).`);
  });
});
document.getElementById('new-key-done').addEventListener('click', forgetValue);

function forgetValue() {
  document.getElementById('key-value').textContent = '';
  document.getElementById('new-key-name').textContent = '';
  created.hidden = true;
}

export async function show() {
  const [keys, plans] = await Promise.all([api('GET', 'api/apikeys'), api('GET', 'api/usageplans')]);
  const today = Math.floor(Date.now() / DAY) * DAY; // 00:00 UTC, as usage days are
  const usage = await Promise.all(plans.map((p) => Promise.all(p.Keys.map((id) => {
    const from = Math.min(today - 6 * DAY, p.Quota ? quotaWindow(p.Quota, today).start : Infinity);
    return api('GET', `api/usageplans/${seg(p.Name)}/keys/${seg(id)}/usage?from=${isoDay(from)}&to=${isoDay(today)}`);
  }))));
  document.querySelector('#key-table tbody').replaceChildren(...keys.map(keyRow));
  document.getElementById('plan-list').replaceChildren(
    ...plans.map((p, i) => planArticle(p, keys, usage[i], today)),
    plans.length ? '' : h('p', { class: 'hint' }, 'No usage plans.'));
}

export function hide() {
  forgetValue();
}

function keyRow(k) {
  const toggle = h('button', { type: 'button', id: `toggle:${k.ID}`, 'aria-label': `${k.Enabled ? 'Disable' : 'Enable'} ${k.Name}` },
    k.Enabled ? 'Disable' : 'Enable');
  toggle.addEventListener('click', () => action(toggle, async () => {
    await api('PATCH', `api/apikeys/${seg(k.ID)}`, { enabled: !k.Enabled });
    await show();
    say(`${k.Enabled ? 'Disabled' : 'Enabled'} the key ${k.Name}.`);
  }));
  return h('tr', { 'data-key': k.ID },
    h('th', { scope: 'row' }, k.Name),
    h('td', {}, h('code', {}, k.ID)),
    h('td', {}, k.Description),
    h('td', {}, fmtTime(k.CreatedAt)),
    h('td', {}, (k.UsagePlans ?? []).join(', ')),
    h('td', {}, k.Enabled ? 'Enabled' : h('span', { class: 'off' }, 'Disabled')),
    h('td', {}, toggle));
}

function planArticle(p, keys, usage, today) {
  const id = `plan:${p.Name}`;
  const methods = Object.entries(p.MethodThrottles ?? {}).sort();
  return h('article', { class: 'plan', 'data-plan': p.Name, 'aria-labelledby': id },
    h('h3', { id }, p.Name),
    h('dl', { class: 'pairs' },
      h('dt', {}, 'Stages'), h('dd', {}, p.Stages.map((s) => `${s.API}/${s.Stage}`).join(', ') || 'none'),
      p.Throttle && [h('dt', {}, 'Throttle per key'), h('dd', {}, fmtRate(p.Throttle))],
      methods.length > 0 && [h('dt', {}, 'Route throttles'), h('dd', {}, methods.map(([k, r]) => `${k}: ${fmtRate(r)}`).join('; '))],
      p.Quota && [h('dt', {}, 'Quota per key'), h('dd', {}, `${fmtInt(p.Quota.Limit)} per ${p.Quota.Period.toLowerCase()}`)]),
    p.Keys.length === 0
      ? h('p', { class: 'hint' }, 'No keys on this plan.')
      : h('div', { class: 'scroll' },
        h('table', {},
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Key'),
            h('th', { scope: 'col' }, 'Last 7 days'),
            h('th', { scope: 'col', class: 'num' }, 'Used'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
          h('tbody', {}, p.Keys.map((keyID, i) => planKeyRow(p, keys.find((k) => k.ID === keyID), keyID, usage[i], today))))),
    attachForm(p, keys));
}

function planKeyRow(p, key, keyID, usage, today) {
  const name = key?.Name ?? keyID;
  const week = usage.Days.slice(-7);
  const q = usage.Quota;
  const win = q && quotaWindow(q, today);
  const used = win ? sum(usage.Days.filter((d) => Date.parse(d.Day) >= win.start)) : sum(week);
  const detach = h('button', { type: 'button', id: `detach:${p.Name}/${keyID}`, 'aria-label': `Detach ${name}` }, 'Detach');
  detach.addEventListener('click', () => action(detach, async () => {
    await api('DELETE', `api/usageplans/${seg(p.Name)}/keys/${seg(keyID)}`);
    await show();
    say(`Detached ${name} from ${p.Name}.`);
  }));
  const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' });
  return h('tr', { 'data-key': keyID },
    h('th', { scope: 'row' }, name),
    h('td', { class: 'usage' }, chart({
      title: 'Requests per day (UTC)',
      width: 200,
      slots: week.length,
      slotName: (i) => weekday.format(Date.parse(week[i].Day)),
      xLabels: week.map((_, i) => i),
      series: [{ name: 'requests', cls: 'c0', kind: 'bar', values: week.map((d) => d.Used) }],
      limit: q?.Period === 'DAY' ? { name: 'quota', value: win.limit } : undefined,
    })),
    h('td', { class: win && used >= win.limit ? 'num over' : 'num' },
      win ? `${fmtInt(used)} of ${fmtInt(win.limit)} ${PERIODS[q.Period] ?? ''}` : `${fmtInt(used)} in 7 days`),
    h('td', {}, detach));
}

function attachForm(p, keys) {
  const others = keys.filter((k) => !p.Keys.includes(k.ID));
  if (others.length === 0) return '';
  const id = `attach-key:${p.Name}`;
  const f = h('form', { class: 'inline' },
    h('label', { for: id }, 'Key '),
    h('select', { id, name: 'key' }, others.map((k) => h('option', { value: k.ID }, `${k.Name} (${k.ID})`))),
    ' ',
    h('button', { type: 'submit', id: `attach:${p.Name}` }, 'Attach to plan'));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    action(f.querySelector('button'), async () => {
      await api('POST', `api/usageplans/${seg(p.Name)}/keys`, { keyId: f.elements.key.value });
      await show();
      say(`Attached a key to ${p.Name}.`);
    });
  });
  return f;
}

// quotaWindow returns the start (a time in ms) and the limit of the
// quota's window that contains today, as throttle.Quota.Window and
// LimitAt compute them: windows are UTC days, weeks from Sunday, and
// months, and the window holding the quota's Start grants Limit − Offset.
function quotaWindow(q, today) {
  const d = new Date(today);
  if (q.Period === 'WEEK') d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  if (q.Period === 'MONTH') d.setUTCDate(1);
  const start = d.getTime();
  if (q.Period === 'WEEK') d.setUTCDate(d.getUTCDate() + 7);
  else if (q.Period === 'MONTH') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCDate(d.getUTCDate() + 1);
  const s = Date.parse(q.Start);
  const limit = q.Offset > 0 && start <= s && s < d.getTime() ? q.Limit - q.Offset : q.Limit;
  return { start, limit };
}

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const sum = (days) => days.reduce((n, d) => n + d.Used, 0);
