// The dashboard: each route's last hour, from api/stats, polled while the
// view is shown.

import { api, h, showError, clearError, fmtInt, fmtMs, pct } from './lib.js';
import { chart } from './chart.js';

const POLL_MS = 2000;
const MINUTE = 60_000;
const SLOTS = 60; // the minutes of the hour, oldest first
const MAX_CHARTED = 12; // routes with charts, the busiest first

const filter = document.getElementById('stats-filter').elements;
let last = null; // the last answer of api/stats
let generation = 0; // bumped by show and hide: a poll of another generation stops
let timer;

filter.api.addEventListener('change', () => last && render(last));
filter.stage.addEventListener('change', () => last && render(last));

export function show() {
  clearTimeout(timer);
  poll(++generation);
}

export function hide() {
  generation++;
  clearTimeout(timer);
}

async function poll(gen) {
  try {
    const stats = await api('GET', 'api/stats');
    if (gen !== generation) return;
    last = stats;
    clearError('stats');
    render(stats);
  } catch (err) {
    if (gen !== generation) return;
    showError(err, 'stats');
  }
  timer = setTimeout(() => poll(gen), POLL_MS);
}

function render(stats) {
  document.getElementById('stats-off').hidden = stats.Enabled;
  setOptions(filter.api, stats.Routes.map((r) => r.API));
  const apiName = filter.api.value;
  setOptions(filter.stage, stats.Routes.filter((r) => !apiName || r.API === apiName).map((r) => r.Stage));
  const stageName = filter.stage.value;
  const routes = stats.Routes.filter((r) => (!apiName || r.API === apiName) && (!stageName || r.Stage === stageName));

  document.getElementById('no-traffic').hidden = routes.length > 0 || !stats.Enabled;
  document.querySelector('#route-table tbody').replaceChildren(...routes.map(routeRow));
  renderCharts(routes, stats.Routes);
}

// setOptions makes values, deduplicated and sorted, the options of select
// after "All", keeping its choice if it is still there. It leaves select
// alone when they are already its options, so as not to disturb a user
// who has it open.
function setOptions(select, values) {
  const want = ['', ...[...new Set(values)].sort()];
  if (want.join('\n') === [...select.options].map((o) => o.value).join('\n')) return;
  const chosen = select.value;
  select.replaceChildren(...want.map((v) => h('option', { value: v }, v || 'All')));
  select.value = want.includes(chosen) ? chosen : '';
}

function routeRow(r) {
  const t = r.Total;
  const num = (cls, text) => h('td', { class: `num ${cls}` }, text);
  return h('tr', { 'data-api': r.API, 'data-stage': r.Stage, 'data-route': r.Route },
    h('td', {}, r.API),
    h('td', {}, r.Stage),
    h('th', { scope: 'row' }, h('code', {}, r.Route)),
    num('calls', fmtInt(t.Count)),
    num('p50', fmtMs(t.P50)),
    num('p90', fmtMs(t.P90)),
    num('p99', fmtMs(t.P99)),
    num('e4xx', pct(t.Errors4XX, t.Count)),
    num('e5xx', pct(t.Errors5XX, t.Count)),
    num('throttled', fmtInt(t.Throttled)),
    num('cache', pct(t.CacheHits, t.CacheHits + t.CacheMisses)));
}

// renderCharts draws the minutes of the busiest routes. The hour ends at
// the current minute, or at the newest minute in the stats if the
// gateway's clock is ahead of this one.
function renderCharts(routes, all) {
  let end = Math.floor(Date.now() / MINUTE) * MINUTE;
  for (const r of all) {
    const newest = r.Minutes.at(-1);
    if (newest) end = Math.max(end, Date.parse(newest.Start));
  }
  const charted = [...routes].sort((a, b) => b.Total.Count - a.Total.Count).slice(0, MAX_CHARTED);
  const note = document.getElementById('charts-note');
  note.hidden = routes.length <= MAX_CHARTED;
  note.textContent = `The ${MAX_CHARTED} busiest of ${routes.length} routes; filter by API or stage to see others.`;
  document.getElementById('charts').replaceChildren(...charted.map((r) => routeCharts(r, end)));
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function routeCharts(r, end) {
  const minutes = new Array(SLOTS).fill(null);
  for (const m of r.Minutes) {
    const i = SLOTS - 1 - Math.round((end - Date.parse(m.Start)) / MINUTE);
    if (i >= 0 && i < SLOTS) minutes[i] = m;
  }
  const counts = (f) => minutes.map((m) => (m ? f(m) : 0));
  const values = (f) => minutes.map((m) => (m ? f(m) : null));
  const percent = (part, whole) => (whole ? (100 * part) / whole : null);
  const axis = {
    slots: SLOTS,
    slotName: (i) => timeOfDay.format(end - (SLOTS - 1 - i) * MINUTE),
    xLabels: [0, 30, SLOTS - 1],
  };
  return h('article', { class: 'route-charts', 'data-api': r.API, 'data-stage': r.Stage, 'data-route': r.Route },
    h('h3', {}, `${r.API} · ${r.Stage} · `, h('code', {}, r.Route)),
    h('div', { class: 'charts' },
      chart({
        ...axis,
        title: 'Calls',
        series: [
          { name: 'calls', cls: 'c0', kind: 'bar', values: counts((m) => m.Count) },
          { name: 'throttled', cls: 'c3', kind: 'bar', values: counts((m) => m.Throttled) },
        ],
      }),
      chart({
        ...axis,
        title: 'Latency (ms)',
        series: [
          { name: 'p50', cls: 'c0', kind: 'line', values: values((m) => m.P50) },
          { name: 'p90', cls: 'c1', kind: 'line', values: values((m) => m.P90) },
          { name: 'p99', cls: 'c2', kind: 'line', values: values((m) => m.P99) },
        ],
      }),
      chart({
        ...axis,
        title: 'Rates (%)',
        max: 100,
        series: [
          { name: '4XX', cls: 'c3', kind: 'line', values: values((m) => percent(m.Errors4XX, m.Count)) },
          { name: '5XX', cls: 'c2', kind: 'line', values: values((m) => percent(m.Errors5XX, m.Count)) },
          { name: 'cache hits', cls: 'c1', kind: 'line', values: minutes.map((m) => m && percent(m.CacheHits, m.CacheHits + m.CacheMisses)) },
        ],
      })));
}
