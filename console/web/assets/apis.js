// The APIs view: each API's stages, deployments and routes; deploy, point
// a stage at a deployment, flush a stage's cache.

import { api, h, seg, action, say, fmtInt, fmtTime, fmtDuration, fmtRate, pct } from './lib.js';

const KINDS = ['HTTP', 'REST'];

export async function show() {
  const apis = await api('GET', 'api/apis');
  const details = await Promise.all(apis.map((a) => Promise.all([
    api('GET', `api/apis/${seg(a.Name)}/deployments`),
    api('GET', `api/apis/${seg(a.Name)}/stages`),
  ])));
  document.getElementById('api-list').replaceChildren(
    ...apis.map((a, i) => apiArticle(a, ...details[i])),
    apis.length ? '' : h('p', { class: 'hint' }, 'No APIs yet.'));
}

function apiArticle(a, deployments, stages) {
  const name = a.Name;
  return h('article', { class: 'api', 'data-api': name, 'aria-labelledby': `api:${name}` },
    h('h2', { id: `api:${name}` }, name, ' ', h('span', { class: 'tag' }, KINDS[a.Kind] ?? `kind ${a.Kind}`), ' ', h('code', {}, a.BasePath)),
    deployForm(name),
    h('h3', {}, 'Stages'),
    stages.length ? stagesTable(name, stages, deployments) : h('p', { class: 'hint' }, 'No stages.'),
    h('h3', {}, 'Deployments'),
    deploymentsTable(deployments, stages),
    h('h3', {}, 'Routes'),
    routesTable(a.Routes));
}

function deployForm(name) {
  const form = h('form', { class: 'inline deploy' },
    h('label', {}, 'Description ', h('input', { name: 'description', id: `deploy-description:${name}`, autocomplete: 'off' })),
    h('button', { type: 'submit', id: `deploy:${name}`, 'aria-label': `Deploy ${name}` }, 'Deploy'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    action(form.querySelector('button'), async () => {
      const d = await api('POST', `api/apis/${seg(name)}/deployments`, { description: form.elements.description.value });
      await show();
      say(`Deployed ${name}: deployment ${d.ID}.`);
    });
  });
  return form;
}

function table(headers, rows) {
  return h('div', { class: 'scroll' },
    h('table', {},
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden' }, 'Actions'))))),
      h('tbody', {}, rows)));
}

function stagesTable(name, stages, deployments) {
  return table(['Stage', 'Deployment', 'Variables', 'Canary', 'Throttle', 'Cache', ''], // '': actions
    stages.map((st) => h('tr', { 'data-stage': st.Name },
      h('th', { scope: 'row' }, st.Name),
      h('td', {}, deploymentPicker(name, st, deployments)),
      h('td', {}, variables(st.Variables)),
      h('td', {}, st.Canary ? `${st.Canary.Percent}% to ${st.Canary.DeploymentID}` : ''),
      h('td', {}, fmtRate(st.Throttle), routeThrottles(st.RouteThrottles)),
      h('td', {}, cache(st)),
      h('td', {}, st.Cache ? flushButton(name, st.Name) : ''))));
}

// deploymentPicker points the stage at another deployment: a later one
// to deploy, an earlier one to roll back.
function deploymentPicker(name, st, deployments) {
  const id = `deployment:${name}/${st.Name}`;
  const select = h('select', { id },
    deployments.map((d) => h('option', { value: d.ID, selected: d.ID === st.DeploymentID },
      d.Description ? `${d.ID} – ${d.Description}` : d.ID)));
  const button = h('button', { type: 'button', id: `set:${name}/${st.Name}`, 'aria-label': `Set the deployment of ${st.Name}` }, 'Set');
  button.addEventListener('click', () => action(button, async () => {
    const to = select.value;
    await api('PUT', `api/apis/${seg(name)}/stages/${seg(st.Name)}/deployment`, { deploymentId: to });
    await show();
    say(`Stage ${st.Name} of ${name} now serves deployment ${to}.`);
  }));
  return h('span', { class: 'picker' },
    h('label', { for: id, class: 'visually-hidden' }, `Deployment of stage ${st.Name}`), select, ' ', button);
}

function flushButton(name, stage) {
  const button = h('button', { type: 'button', id: `flush:${name}/${stage}`, 'aria-label': `Flush cache of ${stage}` }, 'Flush cache');
  button.addEventListener('click', () => action(button, async () => {
    await api('POST', `api/apis/${seg(name)}/stages/${seg(stage)}/cache/flush`);
    await show();
    say(`Flushed the cache of stage ${stage} of ${name}.`);
  }));
  return button;
}

function variables(vars) {
  const names = Object.keys(vars ?? {}).sort();
  if (names.length === 0) return '';
  return h('dl', { class: 'pairs' }, names.map((k) => [h('dt', {}, k), h('dd', {}, vars[k])]));
}

function routeThrottles(rts) {
  const keys = Object.keys(rts ?? {}).sort();
  if (keys.length === 0) return '';
  return h('ul', { class: 'plain' }, keys.map((k) => h('li', {}, h('code', {}, k), ': ', fmtRate(rts[k]))));
}

function cache(st) {
  const c = st.Cache;
  if (!c) return '';
  const size = c.Capacity ? `${fmtInt(c.Capacity)} bytes` : 'own store';
  const parts = [size, c.TTL ? `TTL ${fmtDuration(c.TTL)}` : ''].filter(Boolean).join(', ');
  const s = st.CacheStats;
  if (!s) return parts;
  return [parts, h('br'), `hits ${fmtInt(s.Hits)}, misses ${fmtInt(s.Misses)} (${pct(s.Hits, s.Hits + s.Misses)})`];
}

function deploymentsTable(deployments, stages) {
  const servedBy = (id) => stages.flatMap((st) => [
    st.DeploymentID === id ? st.Name : null,
    st.Canary?.DeploymentID === id ? `${st.Name} (canary)` : null,
  ]).filter(Boolean).join(', ');
  // Newest first: the one just deployed is on top.
  return table(['ID', 'Description', 'Created', 'Served by'],
    [...deployments].reverse().map((d) => h('tr', { 'data-deployment': d.ID },
      h('th', { scope: 'row' }, h('code', {}, d.ID)),
      h('td', {}, d.Description),
      h('td', {}, fmtTime(d.CreatedAt)),
      h('td', {}, servedBy(d.ID)))));
}

function routesTable(routes) {
  return table(['Route', 'Integration', 'Authorizer', 'API key', 'Timeout', 'Cache'],
    routes.map((r) => h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, r.Key)),
      h('td', {}, h('code', {}, r.Integration)),
      h('td', {}, r.Authorizer, r.AuthorizationScopes?.length ? ` (${r.AuthorizationScopes.join(', ')})` : ''),
      h('td', {}, r.APIKeyRequired ? 'required' : ''),
      h('td', {}, fmtDuration(r.Timeout)),
      h('td', {}, routeCache(r.Cache)))));
}

function routeCache(c) {
  if (!c) return '';
  if (c.Disabled) return 'off';
  return [
    c.TTL ? `TTL ${fmtDuration(c.TTL)}` : '',
    c.KeyParameters?.length ? `keyed by ${c.KeyParameters.join(', ')}` : '',
    c.Shared ? 'shared' : '',
    c.AllMethods ? 'all methods' : '',
  ].filter(Boolean).join(', ');
}
