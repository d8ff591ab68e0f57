// The console's page: three views, one per hash route (#/dashboard,
// #/apis, #/keys), each a module with show() and, if it has something to
// stop or forget, hide().

import { showError, clearError } from './lib.js';
import * as dashboard from './dashboard.js';
import * as apis from './apis.js';
import * as keys from './keys.js';

const views = { dashboard, apis, keys };
let current = null;

document.getElementById('error-dismiss').addEventListener('click', () => clearError());
window.addEventListener('hashchange', () => route(true));
route(false);

async function route(navigated) {
  const name = location.hash.replace(/^#\/?/, '');
  if (!(name in views)) {
    location.replace('#/dashboard'); // fires hashchange
    return;
  }
  if (current && current !== name) views[current].hide?.();
  current = name;
  for (const v of Object.keys(views)) document.getElementById(`view-${v}`).hidden = v !== name;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const heading = document.querySelector(`#view-${name} h1`);
  document.title = `${heading.textContent} – gatekit console`;
  if (navigated) {
    heading.tabIndex = -1;
    heading.focus();
  }
  clearError();
  try {
    await views[name].show();
  } catch (err) {
    if (current === name) showError(err);
  }
}
