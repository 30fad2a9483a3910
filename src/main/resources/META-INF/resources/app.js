// status-tracker dashboard: hand-written, no build step, no dependencies. Pages are hash routes (#/, #/request/7,
// #/history, #/status, #/deletions, #/deletions/3, #/login) so the service serves one static index.html. Live updates
// come from /api/sse and patch the affected card in place; see README "Dashboard" and docs/architecture.md "Frontend".
// Accounts: the session is a cookie the page never sees (/api/auth/*); admin controls are drawn only for admins and
// the server checks every admin call again.
'use strict';

(() => {
  // PRODUCT.md §2 labels. The API sends state_label too; this map covers episodes and is the fallback.
  const LABELS = {
    requested: 'Requested', approved: 'Approved', searching: 'Searching', grabbing: 'Grabbed',
    downloading: 'Downloading', downloaded: 'Downloaded', importing: 'Importing', anime_matching: 'Matching',
    available: 'Ready', failed: 'Failed', timeout: 'Timeout', match_failed: 'Needs Link', removed: 'Removed',
  };
  const RANK = {
    requested: 0, approved: 1, searching: 2, grabbing: 3, downloading: 4, downloaded: 5, importing: 6,
    anime_matching: 7, available: 8,
  };
  const ACTIVE = new Set(['requested', 'approved', 'searching', 'grabbing', 'downloading', 'downloaded', 'importing',
    'anime_matching', 'match_failed']);
  const FINISHED = ['available', 'failed', 'timeout', 'removed'];
  const PROBLEMS = ['failed', 'timeout', 'match_failed'];
  const SERVICES = {
    jellyseerr: 'Jellyseerr', sonarr: 'Sonarr', radarr: 'Radarr', jellyfin: 'Jellyfin', qbittorrent: 'qBittorrent',
    shoko: 'Shoko', tracker: 'Tracker',
  };
  // Segments of a TV request's bar, most advanced first; each groups episode states.
  const SEGMENTS = [
    ['ready', 'Ready', ['available']],
    ['processing', 'Processing', ['downloaded', 'importing', 'anime_matching']],
    ['downloading', 'Downloading', ['downloading']],
    ['grabbed', 'Grabbed', ['grabbing']],
    ['pending', 'Pending', ['requested', 'approved', 'searching']],
    ['problem', 'Problem', PROBLEMS],
  ];
  // Deletion sync: the services in the order the server works through them, and what each step status means.
  const DELETION_SERVICES = ['sonarr', 'radarr', 'qbittorrent', 'shoko', 'jellyfin', 'jellyseerr'];
  const STEP = {
    pending: ['○', 'Pending'], running: ['↻', 'Running'], done: ['✓', 'Done'], failed: ['✗', 'Failed'],
    skipped: ['⊘', 'Skipped'], not_applicable: ['—', 'Not applicable'], not_needed: ['−', 'Not needed'],
  };
  // What the delete preview's statuses mean before anything ran.
  const PLAN = {
    pending: 'Will be deleted', not_applicable: 'Not applicable', not_needed: 'Nothing to delete', skipped: 'Skipped',
  };
  const DELETION_STATUS = { in_progress: 'In progress', complete: 'Complete', incomplete: 'Incomplete' };
  const SOURCES = { dashboard: 'Dashboard', sonarr: 'Sonarr', radarr: 'Radarr' };

  // ---------------------------------------------------------------------------------------------- helpers

  /** Creates an element: h('a', {href: '#/'}, 'text', child). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) {
      if (c != null && c !== false) el.append(c);
    }
    return el;
  }

  // Writes only what changed: with 200 cards patched every few seconds, untouched nodes cost nothing.
  function setText(el, text) {
    const t = text == null ? '' : String(text);
    if (el.textContent !== t) el.textContent = t;
  }
  function show(el, visible) {
    if (el.hidden === visible) el.hidden = !visible;
  }
  function setAttr(el, name, value) {
    if (value == null) {
      if (el.hasAttribute(name)) el.removeAttribute(name);
    } else if (el.getAttribute(name) !== String(value)) {
      el.setAttribute(name, value);
    }
  }

  /** Appendix B of original-system.md: 1024-based, B / KB / MB with one decimal, GB with two. */
  function formatSize(bytes) {
    if (bytes == null || isNaN(bytes)) return '';
    if (bytes < 1024) return Math.round(bytes) + ' B';
    const kb = bytes / 1024;
    if (kb < 1024) return kb.toFixed(1) + ' KB';
    const mb = kb / 1024;
    if (mb < 1024) return mb.toFixed(1) + ' MB';
    return (mb / 1024).toFixed(2) + ' GB';
  }
  /** download_progress is 0..1; pages show progress*100 with one decimal. */
  function formatProgress(p) {
    return (Math.max(0, Math.min(1, p)) * 100).toFixed(1) + '%';
  }
  function instant(v) {
    if (v == null) return NaN;
    return typeof v === 'number' ? v * 1000 : Date.parse(v);
  }
  /** In the browser's own time zone. */
  function formatTime(v, withSeconds) {
    const t = instant(v);
    if (isNaN(t)) return '';
    return new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: withSeconds ? 'medium' : 'short' });
  }
  /** A calendar date (air dates): no time zone shift. */
  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    if (!m) return iso || '';
    return new Date(+m[1], +m[2] - 1, +m[3]).toLocaleDateString(undefined, { dateStyle: 'medium' });
  }
  function isFutureDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    return !!m && new Date(+m[1], +m[2] - 1, +m[3]) > new Date();
  }
  function label(state) {
    return LABELS[state] || state || '';
  }
  function pad2(n) {
    return String(n).padStart(2, '0');
  }
  function seasonsText(r) {
    const s = r.requested_seasons && r.requested_seasons.length ? r.requested_seasons : (r.season != null ? [r.season] : []);
    if (!s.length) return '';
    return s.length === 1 ? 'Season ' + s[0] : 'Seasons ' + s.join(', ');
  }
  /** Is a newer than (or as new as) b? Keeps an update that was overtaken by a fresh page load from going back. */
  function notOlder(a, b) {
    if (!b) return true;
    const ta = instant(a.updated_at);
    const tb = instant(b.updated_at);
    return isNaN(ta) || isNaN(tb) || ta >= tb;
  }

  /** A non-2xx answer: status, the server's detail and, for 429, how long to wait (Retry-After, seconds). */
  class ApiError extends Error {
    constructor(status, detail, statusText, retryAfter) {
      super(status + (detail ? ': ' + detail : ' ' + statusText));
      this.status = status;
      this.detail = detail;
      this.retryAfter = retryAfter;
    }
  }

  /**
   * Same-origin JSON calls with the session cookie. POST bodies are always JSON (the server refuses cross-origin
   * cookie POSTs and form posts); credentials never go into a URL.
   */
  async function call(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body == null ? {} : body);
    }
    const res = await fetch(path, init);
    if (!res.ok) {
      let detail = '';
      try {
        const answer = await res.json();
        detail = answer.detail || answer.message || '';
      } catch (e) {
        // not JSON: the status says enough
      }
      const wait = parseInt(res.headers.get('Retry-After'), 10);
      throw new ApiError(res.status, detail, res.statusText, isNaN(wait) ? null : wait);
    }
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  }
  function api(path) {
    return call('GET', path);
  }
  function post(path, body) {
    return call('POST', path, body);
  }
  /** What to tell someone whose admin action failed. */
  function actionError(e) {
    if (e.status === 401) return 'You are not logged in (or your session ended): log in with an administrator\'s Jellyfin account.';
    if (e.status === 403) return 'Only administrators can do this.';
    if (e.status === 404) return 'Not found' + (e.detail ? ': ' + e.detail : ' (it may have been deleted meanwhile).');
    if (e.status === 409) return e.detail || 'Not possible in the current state.';
    if (e.status == null) return 'The tracker could not be reached: ' + (e.message || e);
    return e.detail || e.message;
  }

  let settings = { jellyfin_url: null, version: '' };
  function watchUrl(r) {
    if (!settings.jellyfin_url || !r.jellyfin_id || r.state === 'removed') return null;
    return settings.jellyfin_url + '/web/index.html#!/details?id=' + encodeURIComponent(r.jellyfin_id);
  }

  // ----------------------------------------------------------------------------------------------- accounts

  // The session as /api/auth/session last described it. known is false while the tracker has not answered (or has
  // no accounts at all): then there is no Login link, and nothing admin is drawn.
  const auth = { known: false, authenticated: false, user_id: null, username: null, is_admin: false, login_required: false };
  function setSession(s) {
    Object.assign(auth, {
      known: true, authenticated: !!(s && s.authenticated), user_id: (s && s.user_id) || null,
      username: (s && s.username) || null, is_admin: !!(s && s.authenticated && s.is_admin),
      login_required: !!(s && s.login_required),
    });
    renderUser();
  }
  async function refreshSession() {
    try {
      setSession(await api('/api/auth/session'));
    } catch (e) {
      if (e.status === 401) setSession({ authenticated: false, login_required: true });
      else if (e.status === 404) {
        // A tracker without accounts: everything public, nothing admin.
        Object.assign(auth, { known: false, authenticated: false, is_admin: false, login_required: false });
        renderUser();
      }
      // otherwise (offline, 5xx) keep what we knew
    }
    return auth;
  }
  function needsLogin() {
    return auth.login_required && !auth.authenticated;
  }
  function isAdmin() {
    return auth.authenticated && auth.is_admin;
  }

  const userBox = document.getElementById('user');
  /** Header: the user's name, an Admin badge and Logout; or a Login link. The Deletions item only for admins. */
  function renderUser() {
    document.body.classList.toggle('locked', needsLogin());
    for (const a of document.querySelectorAll('[data-admin]')) show(a, isAdmin());
    // The raw event log is for admins once the tracker has accounts.
    const eventsLink = document.getElementById('events-link');
    if (eventsLink) show(eventsLink, isAdmin() || !auth.known);
    if (auth.authenticated) {
      if (!userBox.querySelector('#logout')) {
        userBox.replaceChildren(h('span', { class: 'user-name', id: 'user-name' }),
          h('span', { class: 'badge admin-badge', id: 'admin-badge', text: 'Admin', hidden: true }),
          h('button', { type: 'button', id: 'logout', onclick: logout }, 'Logout'));
      }
      setText(userBox.querySelector('#user-name'), auth.username || 'Signed in');
      show(userBox.querySelector('#admin-badge'), auth.is_admin);
    } else if (auth.known && !needsLogin()) {
      if (!userBox.querySelector('#login-link')) {
        userBox.replaceChildren(h('a', { href: '#/login', id: 'login-link', class: 'login-link', 'data-nav': '/login' }, 'Login'));
      }
      updateLoginLink();
    } else {
      userBox.replaceChildren();
    }
  }
  /** The Login link brings the user back to the page they were on. */
  function updateLoginLink() {
    const link = document.getElementById('login-link');
    if (!link) return;
    const here = location.hash || '#/';
    const next = here.startsWith('#/login') ? (new URLSearchParams(here.split('?')[1] || '').get('next') || '') : here;
    setAttr(link, 'href', next && next !== '#/' ? '#/login?next=' + encodeURIComponent(next) : '#/login');
    setAttr(link, 'aria-current', here.startsWith('#/login') ? 'page' : null);
  }

  async function logout() {
    const button = document.getElementById('logout');
    if (button) busy(button, 'Logging out…');
    try {
      await post('/api/auth/logout');
    } catch (e) {
      if (button) idle(button);
      toast(h('span', { role: 'alert', text: 'Could not log out: ' + (e.detail || e.message) }));
      return;
    }
    setSession({ authenticated: false, login_required: auth.login_required });
    await refreshSession();
    if (needsLogin()) {
      stopStream();
      route(false);
    } else if ((location.hash || '').startsWith('#/deletions')) {
      location.hash = '#/';
    } else {
      route(false); // drawn again without the admin controls
    }
  }

  // --------------------------------------------------------------------------------------- buttons and dialogs

  /**
   * A button while its call runs: it says so and ignores clicks, but stays focusable (a disabled button would drop
   * keyboard focus to the page).
   */
  function busy(button, text) {
    button.dataset.idleText = button.textContent;
    button.textContent = text;
    button.setAttribute('aria-disabled', 'true');
    button.setAttribute('aria-busy', 'true');
  }
  function idle(button) {
    if (button.dataset.idleText != null) button.textContent = button.dataset.idleText;
    delete button.dataset.idleText;
    button.removeAttribute('aria-disabled');
    button.removeAttribute('aria-busy');
  }
  function isBusy(button) {
    return button.getAttribute('aria-disabled') === 'true';
  }
  /** Runs an admin call from a button; the result (or what went wrong) goes to out, a role=status line. */
  async function act(button, busyText, out, fn) {
    if (isBusy(button)) return null;
    busy(button, busyText);
    setText(out, '');
    out.className = 'action-msg';
    try {
      const result = await fn();
      return result;
    } catch (e) {
      out.className = 'action-msg bad';
      setText(out, actionError(e));
      if (e.status === 401) refreshSession();
      return null;
    } finally {
      idle(button);
    }
  }
  function say(out, text, good) {
    out.className = 'action-msg ' + (good ? 'good' : 'neutral');
    setText(out, text);
  }

  let dialogSeq = 0;
  /**
   * A modal dialog (the browser's own: focus stays inside, the page behind is inert). Focus moves in and returns to
   * what opened it; Escape closes it unless a call is running.
   */
  function openDialog(title, opener) {
    const id = 'dialog-' + (++dialogSeq);
    const heading = h('h2', { id: id + '-title', tabindex: '-1', text: title });
    const body = h('div', { class: 'dialog-body' });
    const foot = h('div', { class: 'dialog-foot' });
    const dlg = h('dialog', { class: 'dialog', id, 'aria-labelledby': id + '-title' }, heading, body, foot);
    const back = opener || document.activeElement;
    const d = {
      el: dlg, body, foot, busy: false,
      close() {
        if (dlg.open) dlg.close();
      },
      focus(el) {
        (el || dlg.querySelector('[autofocus]') || dlg.querySelector('button, input, a[href]') || heading).focus();
      },
    };
    dlg.addEventListener('cancel', e => {
      if (d.busy) e.preventDefault();
    });
    dlg.addEventListener('close', () => {
      dlg.remove();
      if (back && back.isConnected && typeof back.focus === 'function') back.focus();
      else {
        const h1 = main.querySelector('h1[tabindex]');
        (h1 || main).focus({ preventScroll: true });
      }
    });
    document.body.append(dlg);
    dlg.showModal();
    return d;
  }
  function closeDialogs() {
    for (const d of document.querySelectorAll('dialog[open]')) d.close();
  }

  // --------------------------------------------------------------------------------------- TV episode counts

  /** Counts per state, with expected episodes nobody has grabbed yet counted as searching (as the API does). */
  function tally(r) {
    const counts = Object.assign({}, r.episode_counts || {});
    let rows = 0;
    for (const n of Object.values(counts)) rows += n;
    const total = Math.max(r.total_episodes || 0, rows);
    if (total > rows) counts.searching = (counts.searching || 0) + (total - rows);
    return { counts, total };
  }
  function reached(counts, state) {
    let n = 0;
    for (const [s, c] of Object.entries(counts)) {
      if (RANK[s] != null && RANK[s] >= RANK[state]) n += c;
    }
    return n;
  }
  /** "Searching for 13", "Grabbed 5/13", "Downloading 5/13", "3/12 ready": the furthest stage any episode reached. */
  function tvSummary(r) {
    const { counts, total } = tally(r);
    if (!total) return '';
    let furthest = -1;
    for (const [s, c] of Object.entries(counts)) {
      if (c > 0 && RANK[s] != null) furthest = Math.max(furthest, RANK[s]);
    }
    let text;
    if (furthest >= RANK.importing) text = (counts.available || 0) + '/' + total + ' ready';
    else if (furthest >= RANK.downloading) {
      text = (counts.downloading ? 'Downloading ' : 'Downloaded ') + reached(counts, 'downloading') + '/' + total;
    } else if (furthest >= RANK.grabbing) text = 'Grabbed ' + reached(counts, 'grabbing') + '/' + total;
    else if (r.state === 'requested') text = total + (total === 1 ? ' episode' : ' episodes') + ' requested';
    else text = 'Searching for ' + total;
    const problems = PROBLEMS.filter(s => counts[s]).map(s => counts[s] + ' ' + label(s).toLowerCase());
    return problems.length ? text + ' · ' + problems.join(', ') : text;
  }

  function renderSegments(bar, r) {
    const { counts, total } = tally(r);
    const parts = [];
    for (const [key, name, states] of SEGMENTS) {
      const n = states.reduce((sum, s) => sum + (counts[s] || 0), 0);
      if (n) parts.push([key, name, n]);
    }
    const signature = parts.map(p => p[0] + p[2]).join(',') + '/' + total;
    if (bar.dataset.sig === signature) return;
    bar.dataset.sig = signature;
    bar.replaceChildren(...parts.map(([key, name, n]) => h('span', {
      class: 'seg seg-' + key, style: 'flex-grow:' + n, title: name + ': ' + n,
    })));
    setAttr(bar, 'aria-label', parts.map(([, name, n]) => name + ' ' + n).join(', ') + ' of ' + total + ' episodes');
  }

  function episodeItem(e) {
    const unaired = e.air_date && isFutureDate(e.air_date) && (e.state === 'searching' || e.state === 'requested');
    const downloading = e.state === 'downloading' && e.download_progress != null;
    return h('li', { class: 'ep state-' + e.state, 'data-episode': 'S' + pad2(e.season_number) + 'E' + pad2(e.episode_number) },
      h('span', { class: 'ep-num', text: 'S' + pad2(e.season_number) + 'E' + pad2(e.episode_number) }),
      h('span', { class: 'ep-title', text: e.episode_title || '' }),
      unaired ? h('span', { class: 'ep-airs', text: 'airs ' + formatDate(e.air_date) })
        : h('span', { class: 'badge small state-' + e.state, text: label(e.state) }),
      downloading ? h('span', { class: 'ep-progress' },
        h('span', { class: 'minibar', 'aria-hidden': 'true' },
          h('span', { style: 'width:' + formatProgress(e.download_progress) })),
        h('span', { class: 'ep-pct', text: formatProgress(e.download_progress) })) : null);
  }

  function renderEpisodes(list, r) {
    const eps = r.episodes || [];
    const signature = JSON.stringify(eps) + '/' + r.total_episodes;
    if (list.dataset.sig === signature) return;
    list.dataset.sig = signature;
    const items = eps.map(episodeItem);
    const missing = Math.max(0, (r.total_episodes || 0) - eps.length);
    if (missing) items.push(h('li', { class: 'ep ep-more', text: '+ ' + missing + ' more expected, not grabbed yet' }));
    list.replaceChildren(...items);
  }

  // ----------------------------------------------------------------------------------------------- the card

  /** One request, built once and patched in place by update(): expanded lists and focus survive live updates. */
  class Card {
    constructor(r, mode) {
      this.mode = mode; // 'active' | 'history' | 'detail'
      this.req = null;
      this.poster = h('img', { class: 'poster-img', alt: '', loading: 'lazy', decoding: 'async', hidden: true });
      this.poster.addEventListener('error', () => {
        this.poster.hidden = true;
        this.placeholder.hidden = false;
      });
      this.placeholder = h('span', { class: 'poster-ph', 'aria-hidden': 'true' });
      this.link = h(mode === 'detail' ? 'span' : 'a', mode === 'detail' ? {} : { href: '#/request/' + r.id });
      this.year = h('span', { class: 'year' });
      this.seasons = h('span', { class: 'seasons' });
      this.type = h('span', { class: 'badge type' });
      this.k4 = h('span', { class: 'badge flag', text: '4K', hidden: true });
      this.anime = h('span', { class: 'badge flag', text: 'Anime', hidden: true });
      this.state = h('span', { class: 'badge state' });
      this.bar = h('span', { class: 'bar-fill' });
      this.barBox = h('span', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, this.bar);
      this.progressText = h('span', { class: 'progress-text' });
      this.progress = h('div', { class: 'progress', hidden: true }, this.barBox, this.progressText);
      this.tvText = h('p', { class: 'tv-summary' });
      this.segments = h('div', { class: 'segbar', role: 'img' });
      this.epList = h('ol', { class: 'ep-list' });
      this.epSummary = h('summary', {}, 'Episodes');
      this.episodes = h('details', { class: 'episodes' }, this.epSummary, this.epList);
      // The list is built when opened, then kept current while open: cheap for 200 closed cards.
      this.episodes.addEventListener('toggle', () => {
        if (this.episodes.open) renderEpisodes(this.epList, this.req);
      });
      this.tv = h('div', { class: 'tv', hidden: true }, this.tvText, this.segments);
      this.meta = h('p', { class: 'meta' });
      this.next = h('p', { class: 'next' });
      this.stuck = h('p', { class: 'stuck', role: 'note', hidden: true });
      this.when = h('p', { class: 'when' });
      this.watch = h('a', { class: 'watch', hidden: true, rel: 'noopener' }, 'Watch in Jellyfin');
      const Title = mode === 'detail' ? 'h1' : 'h2';
      this.el = h('article', { class: 'card card-' + mode, 'data-id': r.id },
        h('div', { class: 'poster' }, this.poster, this.placeholder),
        h('div', { class: 'card-body' },
          h('div', { class: 'card-head' },
            h(Title, { class: 'title' }, this.link),
            h('span', { class: 'tags' }, this.year, this.seasons, this.type, this.k4, this.anime, this.state)),
          this.progress, this.tv, this.meta, this.next, this.stuck, this.when, this.watch));
      if (mode !== 'history') this.tv.append(this.episodes);
      if (mode === 'detail') this.episodes.open = true;
      this.update(r);
    }

    update(r) {
      const p = this.req || {};
      this.req = r;
      const el = this.el;
      setAttr(el, 'data-state', r.state);
      setText(this.link, r.title || 'Untitled request');
      if (r.poster_url !== p.poster_url) {
        this.placeholder.textContent = (r.title || '?').trim().charAt(0).toUpperCase();
        if (r.poster_url) {
          this.poster.src = r.poster_url;
          this.poster.hidden = false;
          this.placeholder.hidden = true;
        } else {
          this.poster.removeAttribute('src');
          this.poster.hidden = true;
          this.placeholder.hidden = false;
        }
      }
      setText(this.year, r.year || '');
      show(this.year, !!r.year);
      const tv = r.media_type === 'tv';
      setText(this.seasons, tv ? seasonsText(r) : '');
      show(this.seasons, tv && !!seasonsText(r));
      setText(this.type, tv ? 'TV' : 'Movie');
      show(this.k4, !!r.is_4k);
      show(this.anime, !!r.is_anime);
      setText(this.state, r.state_label || label(r.state));
      setAttr(this.state, 'class', 'badge state state-' + r.state);

      // Progress while downloading: x.x%, speed, ETA.
      const p01 = r.download_progress;
      const showProgress = r.state === 'downloading' || (p01 != null && p01 > 0 && p01 < 1 && ACTIVE.has(r.state));
      show(this.progress, showProgress);
      if (showProgress) {
        const pct = p01 == null ? null : formatProgress(p01);
        this.bar.style.width = pct || '0%';
        setAttr(this.barBox, 'aria-valuenow', p01 == null ? null : (p01 * 100).toFixed(1));
        setAttr(this.barBox, 'aria-label', 'Download progress');
        const bits = [pct || 'Waiting for progress'];
        if (r.download_speed) bits.push(r.download_speed);
        if (r.download_eta) bits.push('ETA ' + r.download_eta);
        setText(this.progressText, bits.join(' · '));
      }

      const summary = tv ? tvSummary(r) : '';
      show(this.tv, tv && (!!summary || !!(r.episodes && r.episodes.length)));
      if (tv) {
        setText(this.tvText, summary);
        renderSegments(this.segments, r);
        const eps = r.episodes || [];
        show(this.episodes, eps.length > 0);
        setText(this.epSummary, 'Episodes (' + eps.length + ')');
        if (this.episodes.open) renderEpisodes(this.epList, r);
      }

      const meta = [];
      if (r.quality) meta.push(r.quality);
      if (r.indexer) meta.push('from ' + r.indexer);
      if (r.file_size) meta.push(formatSize(r.file_size));
      if (r.requested_by) meta.push('requested by ' + r.requested_by);
      setText(this.meta, meta.join(' · '));
      show(this.meta, meta.length > 0);
      setText(this.next, r.next_step ? 'Next: ' + r.next_step : '');
      show(this.next, !!r.next_step && this.mode !== 'history');
      setText(this.stuck, r.stuck_reason ? 'Stuck: ' + r.stuck_reason : '');
      show(this.stuck, !!r.stuck_reason);

      let when = '';
      if (this.mode === 'history') {
        const at = r.state === 'available' ? (r.available_at || r.state_changed_at) : r.state_changed_at;
        when = (r.state_label || label(r.state)) + ' ' + formatTime(at);
      } else if (this.mode === 'active' && r.state_changed_at) {
        when = 'Since ' + formatTime(r.state_changed_at);
      }
      setText(this.when, when);
      show(this.when, !!when);
      const watch = this.mode === 'active' ? null : watchUrl(r);
      show(this.watch, !!watch);
      if (watch) setAttr(this.watch, 'href', watch);

      // Admins can retry a failed, timed out or unmatched request from its card (the detail page has its own bar).
      const retry = this.mode !== 'detail' && isAdmin() && PROBLEMS.includes(r.state);
      if (retry && !this.actions) {
        this.retry = h('button', { type: 'button', class: 'retry' }, 'Retry');
        this.actionMsg = h('p', { class: 'action-msg', role: 'status' });
        this.actions = h('div', { class: 'card-actions' }, this.retry, this.actionMsg);
        this.retry.addEventListener('click', () => this.doRetry());
        this.el.querySelector('.card-body').append(this.actions);
      }
      if (this.actions) show(this.retry, retry);
    }

    async doRetry() {
      const id = this.req.id;
      const d = await act(this.retry, 'Retrying…', this.actionMsg, () => post('/api/requests/' + id + '/retry'));
      if (!d) return;
      const message = d.message || (d.outcome === 'available' ? 'It is available.' : 'Retried.');
      say(this.actionMsg, message, true);
      // On History a retried request leaves the list with the next update: the message stays as a toast.
      if (this.mode === 'history') toast(h('span', {}, h('a', { href: '#/request/' + id, text: this.req.title || 'Request' }), ': ' + message));
      if (d.request && notOlder(d.request, this.req)) this.update(d.request);
    }
  }

  // ----------------------------------------------------------------------------------------------- live

  // Window-visible for people debugging a dashboard (and for the browser tests): what the stream did.
  const live = {
    state: 'connecting', states: ['connecting'], connects: 0, resets: 0, resumedAfter: null, lastEventId: null,
    attempts: 0, loads: 0, deletionEvents: 0, session: auth, doctor: null, doctorLoads: 0,
    /** Draws the setup doctor's results on the open Status page (for tests and debugging); false elsewhere. */
    renderDoctor(data) {
      if (!view || !view.doctor) return false;
      view.doctor.render(data);
      return true;
    },
  };
  window.statusTracker = live;
  let source = null;
  let reopenTimer = 0;
  let countdownTimer = 0;

  const conn = document.getElementById('conn');
  const connText = conn.querySelector('.conn-text');
  function setConnection(state, text) {
    if (live.state !== state) {
      live.state = state;
      live.states.push(state);
      if (live.states.length > 50) live.states.shift();
    }
    conn.dataset.state = state;
    setText(connText, text);
  }

  function connect() {
    clearTimeout(reopenTimer);
    clearInterval(countdownTimer);
    if (source) source.close();
    // A new EventSource cannot send Last-Event-ID; the query carries the position instead (the server prefers the
    // header, which the browser sends on its own reconnections).
    const url = live.lastEventId ? '/api/sse?last_event_id=' + encodeURIComponent(live.lastEventId) : '/api/sse';
    const es = new EventSource(url);
    source = es;
    setConnection(live.connects ? 'reconnecting' : 'connecting', live.connects ? 'Reconnecting…' : 'Connecting…');
    es.addEventListener('connected', e => {
      if (e.lastEventId) live.lastEventId = e.lastEventId;
      const data = parse(e.data) || {};
      live.connects++;
      live.resumedAfter = data.resumed_after == null ? null : data.resumed_after;
      live.attempts = 0;
      setConnection('live', 'Live');
    });
    es.addEventListener('update', e => {
      if (e.lastEventId) live.lastEventId = e.lastEventId;
      const u = parse(e.data);
      if (!u) return;
      // Deletion progress is not a request update: only the deletion pages follow it. The request itself (now
      // removed) comes as a normal state_change.
      if (typeof u.event_type === 'string' && u.event_type.startsWith('deletion_')) {
        live.deletionEvents++;
        if (u.deletion_log_id != null) queueDeletion(u);
        return;
      }
      if (u.request && u.request.id != null) queueUpdate(u);
    });
    es.addEventListener('reset', e => {
      // What we missed is no longer kept: load the page's data again (not the page itself).
      if (e.lastEventId) live.lastEventId = e.lastEventId;
      live.resets++;
      live.attempts = 0;
      setConnection('live', 'Live'); // the stream goes on live after a reset (no 'connected' on this connection)
      pending.clear();
      deletions.length = 0;
      if (view) load(view);
    });
    es.onerror = () => {
      if (es !== source) return;
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (an error status, e.g. a proxy's 502 while the service restarts, or 401 when the
        // session ended and the dashboard needs a login): back off and open a new stream ourselves, unless a login
        // is needed first.
        es.close();
        scheduleReopen();
        refreshSession().then(() => {
          if (needsLogin() && es === source) {
            stopStream();
            route(false);
          }
        });
      } else {
        setConnection('reconnecting', 'Reconnecting…');
      }
    };
  }

  /** No stream while the dashboard waits for a login (it would only be refused). */
  function stopStream() {
    clearTimeout(reopenTimer);
    clearInterval(countdownTimer);
    if (source) source.close();
    source = null;
    setConnection('connecting', 'Not connected');
  }

  function scheduleReopen() {
    live.attempts++;
    // Exponential backoff (1 s doubling, at most 30 s) with jitter, so many dashboards do not return in step.
    const ceiling = Math.min(30000, 1000 * Math.pow(2, Math.min(live.attempts - 1, 5)));
    const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    const due = Date.now() + delay;
    const tick = () => setConnection('offline',
      'Offline, retrying in ' + Math.max(1, Math.ceil((due - Date.now()) / 1000)) + ' s');
    tick();
    countdownTimer = setInterval(tick, 1000);
    reopenTimer = setTimeout(connect, delay);
  }

  // A page the browser keeps for Back (the back/forward cache) must not keep its stream: browsers allow only six
  // connections per server, and a few cached dashboards would leave none for the page in front. Closed when the page
  // is left, opened again (resuming where it was) if it is shown again.
  window.addEventListener('pagehide', () => {
    clearTimeout(reopenTimer);
    clearInterval(countdownTimer);
    if (source) source.close();
    source = null;
  });
  window.addEventListener('pageshow', e => {
    if (e.persisted && !needsLogin()) connect();
  });

  // Back online, or the phone's screen is on again: do not wait for the backoff.
  window.addEventListener('online', () => {
    if (live.state === 'offline' && !needsLogin()) connect();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && live.state === 'offline' && !needsLogin()) connect();
  });

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  // Updates are collected per request (the latest wins) and applied once per animation frame: hundreds of
  // progress updates a second cost one DOM pass, and none while the tab is hidden.
  const pending = new Map();
  let frame = 0;
  function queueUpdate(u) {
    const before = pending.get(u.request_id);
    pending.set(u.request_id, {
      request: u.request,
      // Anything but progress may have added a timeline entry: the detail page fetches those.
      structural: (before && before.structural) || u.event_type !== 'progress',
    });
    scheduleFlush();
  }
  // Deletion events, in arrival order (a deletion's progress is a handful of events, not hundreds).
  const deletions = [];
  function queueDeletion(u) {
    deletions.push(u);
    if (deletions.length > 500) deletions.shift();
    scheduleFlush();
  }
  function scheduleFlush() {
    if (!frame && (pending.size || deletions.length)) frame = requestAnimationFrame(flush);
  }
  function flush() {
    frame = 0;
    if (!view || !view.ready) return; // applied once the page has its data (load() calls scheduleFlush)
    if (pending.size) {
      const batch = [...pending.values()];
      pending.clear();
      view.apply(batch);
    }
    if (deletions.length) {
      const batch = deletions.splice(0);
      if (view.applyDeletions) view.applyDeletions(batch);
    }
  }

  const toasts = document.getElementById('toasts');
  function toast(node) {
    const item = h('li', {}, node);
    toasts.append(item);
    setTimeout(() => item.remove(), 8000);
    while (toasts.children.length > 4) toasts.firstElementChild.remove();
  }

  // ------------------------------------------------------------------------------------ deleting and importing

  function filesBox(checked) {
    const input = h('input', { type: 'checkbox', id: 'delete-files', checked: !!checked });
    return { input, el: h('p', { class: 'check' }, h('label', { for: 'delete-files' }, input, ' Delete files from disk')) };
  }
  function syncOffWarning() {
    return h('p', { class: 'warn', id: 'sync-off', role: 'note' },
      'Deletion sync is switched off (ENABLE_DELETION_SYNC): only the tracker\'s row will be removed. Sonarr, Radarr, '
      + 'qBittorrent, Shoko, Jellyfin and Jellyseerr are left as they are.');
  }
  function dialogButtons(d, confirmText) {
    const cancel = h('button', { type: 'button', class: 'cancel', autofocus: true, onclick: () => d.close() }, 'Cancel');
    const ok = h('button', { type: 'button', class: 'danger confirm', 'aria-disabled': 'true' }, confirmText);
    const out = h('p', { class: 'action-msg', role: 'status' });
    d.foot.replaceChildren(out, cancel, ok);
    return { cancel, ok, out };
  }

  /** Delete… on a request: what each service will do (the preview), files or not, then off to the deletion's page. */
  function deleteDialog(r, opener) {
    const d = openDialog('Delete “' + (r.title || 'this request') + '”?', opener);
    d.el.classList.add('delete-dialog');
    const { ok, out } = dialogButtons(d, 'Delete');
    d.body.replaceChildren(h('p', { class: 'muted', text: 'Asking the tracker what will be removed…' }));
    d.focus();
    let preview = null;
    let files = null;
    const plan = h('ul', { class: 'plan', id: 'delete-plan' });
    function renderPlan(p) {
      const services = [...(p.services || [])].sort((a, b) => order(a.service) - order(b.service));
      plan.replaceChildren(...services.map(sv => h('li', { 'data-service': sv.service, class: 'plan-' + sv.status },
        h('span', { class: 'svc-name', text: SERVICES[sv.service] || sv.service }),
        h('span', { class: 'badge small plan-badge', text: PLAN[sv.status] || sv.status }),
        sv.details ? h('span', { class: 'plan-details', text: sv.details }) : null)));
    }
    const previewUrl = '/api/requests/' + r.id + '/delete-preview';
    api(previewUrl).then(p => {
      preview = p;
      files = filesBox(p.delete_files_default !== false);
      renderPlan(p);
      d.body.replaceChildren(
        p.deletion_sync_enabled === false ? syncOffWarning() : null,
        h('p', {}, 'This removes ', h('strong', { text: (p.title || r.title || 'the request') }),
          (p.media_type === 'tv' ? ' (TV)' : p.media_type === 'movie' ? ' (movie)' : ''),
          ' from every service that has it:'),
        plan, files.el);
      ok.removeAttribute('aria-disabled');
      // Keeping the files changes what some services do (Shoko, Jellyfin): ask again for that choice.
      files.input.addEventListener('change', () => {
        const wanted = files.input.checked;
        api(previewUrl + '?delete_files=' + wanted).then(q => {
          if (files.input.checked === wanted && d.el.open) renderPlan(q);
        }).catch(() => {
          // the plan shown is for the other choice; the deletion itself does not depend on it
        });
      });
    }).catch(e => {
      d.body.replaceChildren(h('p', { class: 'error-text', role: 'alert', text: 'Cannot delete: ' + actionError(e) }));
    });
    ok.addEventListener('click', async () => {
      if (!preview || isBusy(ok)) return;
      d.busy = true;
      const log = await act(ok, 'Deleting…', out, () => post('/api/requests/' + r.id + '/delete', { delete_files: files.input.checked }));
      d.busy = false;
      if (!log) return;
      d.close();
      // The deletion's own page follows it live.
      location.hash = log.id != null ? '#/deletions/' + log.id : '#/deletions';
    });
    return d;
  }
  function order(service) {
    const i = DELETION_SERVICES.indexOf(service);
    return i < 0 ? DELETION_SERVICES.length : i;
  }

  /** History's "Delete selected (n)": the list, files or not; the deletions then run on the server. */
  function bulkDeleteDialog(items, opener, done) {
    const d = openDialog('Delete ' + items.length + (items.length === 1 ? ' request?' : ' requests?'), opener);
    d.el.classList.add('bulk-dialog');
    const { ok, out } = dialogButtons(d, 'Delete ' + items.length);
    const files = filesBox(true);
    const warning = h('div');
    d.body.replaceChildren(
      h('p', {}, 'Each of these is removed from every service that has it (Sonarr or Radarr, qBittorrent, Shoko, '
        + 'Jellyfin, Jellyseerr). Progress is on the Deletions page.'),
      h('ul', { class: 'bulk-list', id: 'bulk-list' }, ...items.map(r => h('li', { 'data-id': r.id },
        h('span', { text: r.title || 'Untitled' }), r.year ? h('span', { class: 'muted', text: ' ' + r.year }) : null))),
      files.el);
    d.body.prepend(warning);
    ok.removeAttribute('aria-disabled');
    d.focus();
    // The preview of one of them says whether deletion sync is on and what the files default is.
    api('/api/requests/' + items[0].id + '/delete-preview').then(p => {
      if (p.deletion_sync_enabled === false) warning.replaceChildren(syncOffWarning());
      if (p.delete_files_default === false && !files.input.dataset.touched) files.input.checked = false;
    }).catch(() => {
      // the dialog works without it
    });
    files.input.addEventListener('change', () => {
      files.input.dataset.touched = '1';
    });
    ok.addEventListener('click', async () => {
      if (isBusy(ok)) return;
      d.busy = true;
      const res = await act(ok, 'Deleting…', out, () => post('/api/requests/bulk-delete',
        { request_ids: items.map(r => r.id), delete_files: files.input.checked }));
      d.busy = false;
      if (!res) return;
      d.close();
      done(res);
    });
    return d;
  }

  /** History's "Import library": adds what Jellyfin has and the tracker does not, then shows the counts. */
  function importDialog(opener, done) {
    const d = openDialog('Import library', opener);
    d.el.classList.add('import-dialog');
    const { ok, out, cancel } = dialogButtons(d, 'Import');
    ok.classList.remove('danger');
    ok.removeAttribute('aria-disabled');
    d.body.replaceChildren(h('p', {}, 'Reads every movie and series in Jellyfin and adds those the tracker does not know '
      + 'yet as Ready requests, with their ids and posters. Nothing is downloaded or deleted.'));
    d.focus();
    ok.addEventListener('click', async () => {
      if (isBusy(ok)) return;
      d.busy = true;
      d.body.append(h('p', { class: 'muted', id: 'import-wait', text: 'Importing… a large library can take a minute.' }));
      const res = await act(ok, 'Importing…', out, () => post('/api/admin/library-import'));
      d.busy = false;
      const wait = d.body.querySelector('#import-wait');
      if (wait) wait.remove();
      if (!res) return;
      const why = res.skipped_because && typeof res.skipped_because === 'object' ? Object.entries(res.skipped_because)
        .filter(([, n]) => n).map(([k, n]) => n + ' ' + k.replace(/_/g, ' ')).join(', ') : '';
      const rows = [['Scanned', res.scanned], ['Added', res.added],
        ['Updated (missing ids filled)', res.updated === undefined ? undefined : res.updated],
        ['Skipped', (res.skipped || 0) + (why ? ' (' + why + ')' : '')], ['Errors', res.errors]]
        .filter(([, v]) => v !== undefined);
      d.body.replaceChildren(h('p', { role: 'status', text: 'Import finished.' }),
        h('dl', { class: 'facts import-result', id: 'import-result' },
          ...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { 'data-count': k.split(' ')[0].toLowerCase(), text: String(v == null ? 0 : v) })])),
        res.error_details && res.error_details.length ? h('details', { class: 'import-errors' },
          h('summary', {}, 'What went wrong (' + res.error_details.length + ')'),
          h('ul', {}, ...res.error_details.map(x => h('li', { text: typeof x === 'string' ? x : JSON.stringify(x) })))) : null);
      ok.remove();
      setText(cancel, 'Close');
      cancel.focus();
      done(res);
    });
    return d;
  }

  // ----------------------------------------------------------------------------------------------- pages

  function errorBox(message, retry) {
    return h('div', { class: 'error', role: 'alert' },
      h('p', { text: 'Could not load this page: ' + message }),
      retry ? h('button', { type: 'button', onclick: retry }, 'Try again') : null);
  }

  function ActivePage() {
    const list = h('div', { class: 'cards', id: 'active-list' });
    const count = h('p', { class: 'muted', id: 'active-count', 'aria-live': 'polite' });
    const empty = h('div', { class: 'empty', hidden: true },
      h('p', { class: 'empty-title', text: 'No active requests' }),
      h('p', { class: 'muted', text: 'Ready for requests. New ones appear here as soon as Jellyseerr sends them.' }));
    const status = h('div');
    const el = h('section', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Active'), count), status, empty, list);
    const cards = new Map();

    function counted() {
      const n = cards.size;
      setText(count, n === 1 ? '1 request in progress' : n + ' requests in progress');
      show(empty, n === 0);
    }

    return {
      el, title: 'Active',
      async load() {
        const rows = await api('/api/requests/active');
        live.loads++;
        cards.clear();
        list.replaceChildren(...rows.map(r => {
          const c = new Card(r, 'active');
          cards.set(r.id, c);
          return c.el;
        }));
        counted();
      },
      fail(message) {
        status.replaceChildren(errorBox(message, () => load(this)));
      },
      apply(batch) {
        for (const { request: r } of batch) {
          const card = cards.get(r.id);
          if (card && !notOlder(r, card.req)) continue;
          if (!ACTIVE.has(r.state)) {
            if (card) {
              // Finished: it leaves Active (and is on History now).
              card.el.remove();
              cards.delete(r.id);
              toast(h('span', {}, h('a', { href: '#/request/' + r.id, text: r.title || 'A request' }),
                ' is ' + (r.state_label || label(r.state)) + ': moved to ', h('a', { href: '#/history', text: 'History' })));
            }
          } else if (card) {
            card.update(r);
          } else {
            const c = new Card(r, 'active');
            cards.set(r.id, c);
            list.prepend(c.el); // newest activity first, as the API lists them
          }
        }
        counted();
      },
    };
  }

  function DetailPage(id) {
    const back = h('p', { class: 'back' }, h('a', { href: '#/', text: '← Active' }), ' · ',
      h('a', { href: '#/history', text: 'History' }));
    const body = h('div', { class: 'detail-body' }, h('p', { class: 'muted', text: 'Loading…' }));
    const el = h('section', { class: 'page detail' }, back, body);
    let card = null;
    let facts = null;
    let timeline = null;
    let events = null;
    let refetch = 0;
    let tools = null;

    /** Admin actions: Retry (problem states), Verify (not yet available), Delete… (a dialog first). */
    function adminTools(page) {
      const retry = h('button', { type: 'button', id: 'action-retry' }, 'Retry');
      const verify = h('button', { type: 'button', id: 'action-verify' }, 'Verify in Jellyfin');
      const del = h('button', { type: 'button', id: 'action-delete', class: 'danger' }, 'Delete…');
      const out = h('p', { class: 'action-msg', id: 'action-msg', role: 'status' });
      const box = h('div', { class: 'actions', role: 'group', 'aria-label': 'Admin actions' },
        h('div', { class: 'action-buttons' }, retry, verify, del), out);
      async function run(button, busyText, path) {
        const d = await act(button, busyText, out, () => post('/api/requests/' + id + path));
        if (!d) return;
        say(out, d.message || '', d.outcome === 'available' || d.outcome === 'retried');
        if (d.request && notOlder(d.request, card.req)) {
          card.update(Object.assign({}, d.request, { episodes: d.request.episodes || card.req.episodes }));
          renderFacts(card.req);
          renderTools(card.req);
        }
        clearTimeout(refetch);
        refetch = setTimeout(() => load(page), 250); // the timeline has a new entry
      }
      retry.addEventListener('click', () => run(retry, 'Retrying…', '/retry'));
      verify.addEventListener('click', () => run(verify, 'Verifying…', '/verify'));
      del.addEventListener('click', () => deleteDialog(card.req, del));
      return { box, retry, verify, del, out };
    }
    function renderTools(r) {
      if (!tools) return;
      show(tools.retry, PROBLEMS.includes(r.state));
      show(tools.verify, r.state !== 'available' && r.state !== 'removed');
    }

    function renderFacts(r) {
      const rows = [
        ['Quality', r.quality], ['Indexer', r.indexer], ['Release group', r.release_group],
        ['Size', r.file_size ? formatSize(r.file_size) : null], ['Requested by', r.requested_by],
        ['Seasons', r.media_type === 'tv' ? seasonsText(r) : null],
        ['Episodes expected', r.media_type === 'tv' && r.total_episodes ? r.total_episodes : null],
        ['Requested', formatTime(r.created_at)], ['In this state since', formatTime(r.state_changed_at)],
        ['Available since', r.available_at ? formatTime(r.available_at) : null],
        ['Problem during', r.problem_stage ? label(r.problem_stage) : null],
        ['IDs', [r.tmdb_id && 'TMDB ' + r.tmdb_id, r.tvdb_id && 'TVDB ' + r.tvdb_id, r.imdb_id && 'IMDb ' + r.imdb_id,
          r.jellyseerr_id && 'Jellyseerr #' + r.jellyseerr_id].filter(Boolean).join(' · ')],
      ].filter(([, v]) => v != null && v !== '');
      facts.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: String(v) })]));
    }

    function renderTimeline(items) {
      // Oldest to newest, as the API sends them; times in the browser's zone.
      timeline.replaceChildren(...(items.length ? items.map(t => h('li', { class: 'tl state-' + t.state, 'data-state': t.state },
        h('time', { datetime: t.timestamp, text: formatTime(t.timestamp, true) }),
        h('span', { class: 'badge small state-' + t.state, text: label(t.state) }),
        h('span', { class: 'tl-type', text: t.event_type || '' }),
        h('span', { class: 'tl-via', text: 'via ' + (SERVICES[t.service] || t.service || '?') }),
        t.details ? h('p', { class: 'tl-details', text: t.details }) : null)) : [h('li', { class: 'muted', text: 'Nothing yet.' })]));
    }

    function renderEvents(items) {
      const sorted = [...items].sort((a, b) => instant(a.received_at) - instant(b.received_at) || a.id - b.id);
      events.replaceChildren(...(sorted.length ? sorted.map(e => {
        const pre = h('pre', { class: 'payload' });
        const details = h('details', {},
          h('summary', {}, h('time', { datetime: e.received_at, text: formatTime(e.received_at, true) }), ' ',
            h('strong', { text: SERVICES[e.source] || e.source }), ' ', e.event_type || '',
            h('span', { class: 'badge small outcome-' + e.outcome, text: e.outcome })),
          e.outcome_reason ? h('p', { class: 'muted', text: e.outcome_reason }) : null, pre);
        // Payloads can be large: formatted only when someone opens one.
        details.addEventListener('toggle', () => {
          if (details.open && !pre.textContent) {
            const json = parse(e.payload);
            pre.textContent = json ? JSON.stringify(json, null, 2) : (e.payload || '');
          }
        });
        return h('li', {}, details);
      }) : [h('li', { class: 'muted', text: 'None kept (older events are pruned after the retention period).' })]));
    }

    return {
      el, title: 'Request',
      async load() {
        const d = await api('/api/requests/' + id);
        live.loads++;
        if (!card) {
          card = new Card(d, 'detail');
          facts = h('dl', { class: 'facts' });
          timeline = h('ol', { class: 'timeline', id: 'timeline' });
          tools = isAdmin() ? adminTools(this) : null;
          const overview = d.overview ? h('p', { class: 'overview', text: d.overview }) : null;
          body.replaceChildren(card.el, tools && tools.box, overview, facts,
            h('h2', { text: 'Timeline' }), timeline);
        } else if (notOlder(d, card.req)) {
          card.update(d);
        }
        // The raw inbound events are sent to admins only: the section exists only when they came.
        if (Array.isArray(d.events) && !events) {
          events = h('ul', { class: 'events', id: 'events' });
          body.append(h('section', { class: 'raw-events', 'aria-labelledby': 'events-title' },
            h('h2', { id: 'events-title', text: 'Inbound events' }),
            h('p', { class: 'muted', text: 'What each service sent about this request, secrets masked.' }), events));
        }
        renderFacts(card.req);
        renderTools(card.req);
        renderTimeline(d.timeline_events || []);
        if (events && Array.isArray(d.events)) renderEvents(d.events);
        this.title = d.title || 'Request';
        document.title = this.title + ' · status-tracker';
      },
      fail(message) {
        body.replaceChildren(errorBox(message.startsWith('404') ? 'this request does not exist.' : message,
          message.startsWith('404') ? null : () => load(this)));
      },
      apply(batch) {
        for (const u of batch) {
          if (u.request.id !== id || !card) continue;
          if (notOlder(u.request, card.req)) {
            // The stream's request has no timeline or events; keep them and patch the rest.
            card.update(Object.assign({}, u.request, { episodes: u.request.episodes || card.req.episodes }));
            renderFacts(card.req);
            renderTools(card.req);
          }
          if (u.structural) {
            clearTimeout(refetch);
            refetch = setTimeout(() => load(this), 250);
          }
        }
      },
      destroy() {
        clearTimeout(refetch);
      },
    };
  }

  function HistoryPage(params) {
    const state = FINISHED.includes(params.get('state')) ? params.get('state') : '';
    const user = params.get('user') || '';
    const page = Math.max(1, parseInt(params.get('page'), 10) || 1);
    const perPage = 24;
    const tabs = h('nav', { class: 'tabs', 'aria-label': 'Filter by state' });
    const who = h('select', { id: 'history-user' });
    const list = h('div', { class: 'cards', id: 'history-list' });
    const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
    const status = h('div');
    // Admins: pick requests for a bulk delete, and import the Jellyfin library.
    const admin = isAdmin();
    const selected = new Map(); // id -> {id, title, year}, kept across reloads of the list
    const boxes = new Map(); // id -> checkbox of the shown card
    const selectAll = h('input', { type: 'checkbox', id: 'select-all' });
    const bulk = h('button', { type: 'button', id: 'bulk-delete', class: 'danger', 'aria-disabled': 'true' }, 'Delete selected (0)');
    const importer = h('button', { type: 'button', id: 'import-library' }, 'Import library');
    const msg = h('p', { class: 'action-msg', id: 'history-msg', role: 'status' });
    const bar = admin ? h('div', { class: 'bulk-bar', role: 'group', 'aria-label': 'Admin actions' },
      h('label', { class: 'check', for: 'select-all' }, selectAll, ' Select all on this page'), bulk, importer, msg) : null;
    const el = h('section', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'History'),
        h('label', { class: 'filter' }, 'Requested by ', who)),
      tabs, bar, status, list, pager);
    let refetch = 0;
    let shown = new Set();

    function counted() {
      const n = selected.size;
      setText(bulk, 'Delete selected (' + n + ')');
      setAttr(bulk, 'aria-disabled', n ? null : 'true');
      const onPage = [...boxes.keys()];
      const picked = onPage.filter(i => selected.has(i)).length;
      selectAll.checked = onPage.length > 0 && picked === onPage.length;
      selectAll.indeterminate = picked > 0 && picked < onPage.length;
    }
    function pickable(card, r) {
      const input = h('input', { type: 'checkbox', class: 'pick-box', 'data-id': r.id, checked: selected.has(r.id) });
      input.checked = selected.has(r.id);
      input.addEventListener('change', () => {
        if (input.checked) selected.set(r.id, { id: r.id, title: r.title, year: r.year });
        else selected.delete(r.id);
        counted();
      });
      boxes.set(r.id, input);
      card.el.classList.add('pickable');
      card.el.prepend(h('label', { class: 'pick', title: 'Select for deletion' }, input,
        h('span', { class: 'sr-only', text: 'Select ' + (r.title || 'request') + (r.year ? ' (' + r.year + ')' : '') })));
    }
    if (admin) {
      selectAll.addEventListener('change', () => {
        for (const input of boxes.values()) {
          input.checked = selectAll.checked;
          input.dispatchEvent(new Event('change'));
        }
        counted();
      });
      bulk.addEventListener('click', () => {
        if (!selected.size || isBusy(bulk)) return;
        bulkDeleteDialog([...selected.values()], bulk, res => {
          selected.clear();
          for (const input of boxes.values()) input.checked = false;
          counted();
          const n = (res.deletions || []).length;
          const missing = res.not_found || [];
          msg.className = 'action-msg good';
          msg.replaceChildren('Deleting ' + n + (n === 1 ? ' request' : ' requests') + ': follow it on ',
            h('a', { href: '#/deletions', text: 'Deletions' }), '.',
            missing.length ? ' Not found (already gone?): ' + missing.join(', ') + '.' : '');
        });
      });
      importer.addEventListener('click', () => importDialog(importer, res => {
        say(msg, 'Library imported: ' + (res.added || 0) + ' added, ' + (res.updated != null ? res.updated + ' updated, ' : '')
          + (res.skipped || 0) + ' skipped, ' + (res.errors || 0) + ' errors.', !res.errors);
        load(page$);
      }));
    }

    function href(s, u, p) {
      const q = new URLSearchParams();
      if (s) q.set('state', s);
      if (u) q.set('user', u);
      if (p > 1) q.set('page', p);
      const qs = q.toString();
      return '#/history' + (qs ? '?' + qs : '');
    }
    who.addEventListener('change', () => {
      location.hash = href(state, who.value, 1);
    });

    const page$ = {
      el, title: 'History',
      async load() {
        const q = new URLSearchParams({ page: String(page), per_page: String(perPage) });
        if (state) q.set('state', state);
        if (user) q.set('user', user);
        const d = await api('/api/history?' + q);
        live.loads++;
        const counts = d.counts || {};
        const all = FINISHED.reduce((sum, s) => sum + (counts[s] || 0), 0);
        tabs.replaceChildren(...[['', 'All', all], ...FINISHED.map(s => [s, label(s), counts[s] || 0])].map(([s, name, n]) =>
          h('a', { href: href(s, user, 1), class: 'tab', 'aria-current': s === state ? 'page' : null },
            name, h('span', { class: 'count', text: String(n) }))));
        who.replaceChildren(h('option', { value: '', text: 'everyone' }),
          ...(d.requesters || []).map(u => h('option', { value: u, text: u, selected: u === user })));
        shown = new Set(d.requests.map(r => r.id));
        boxes.clear();
        list.replaceChildren(...(d.requests.length ? d.requests.map(r => {
          const card = new Card(r, 'history');
          if (admin) pickable(card, r);
          return card.el;
        }) : [h('div', { class: 'empty' }, h('p', { class: 'empty-title', text: 'Nothing here yet' }),
          h('p', { class: 'muted', text: 'Finished requests (ready, failed, timed out, removed) are listed here.' }))]));
        if (admin) {
          show(selectAll.parentElement, boxes.size > 0);
          counted();
        }
        status.replaceChildren();
        const pages = Math.max(1, Math.ceil(d.total / perPage));
        pager.replaceChildren(
          page > 1 ? h('a', { href: href(state, user, page - 1), text: '← Newer' }) : h('span'),
          h('span', { class: 'muted', text: 'Page ' + page + ' of ' + pages + ' · ' + d.total + ' requests' }),
          page < pages ? h('a', { href: href(state, user, page + 1), text: 'Older →' }) : h('span'));
      },
      fail(message) {
        status.replaceChildren(errorBox(message, () => load(this)));
      },
      apply(batch) {
        // A request finished (or one shown here came back to life): the counts and the page change; fetch again.
        if (batch.some(u => FINISHED.includes(u.request.state) || shown.has(u.request.id))) {
          clearTimeout(refetch);
          refetch = setTimeout(() => load(this), 500);
        }
      },
      destroy() {
        clearTimeout(refetch);
      },
    };
    return page$;
  }

  // ------------------------------------------------------------------------------------------- setup doctor

  // The setup doctor's results, worst first; each badge says its result in words (and an icon), not in colour alone.
  const DOCTOR = {
    problem: ['✗', 'Problem', 0], warning: ['!', 'Warning', 1], unknown: ['?', 'Unknown', 2], ok: ['✓', 'OK', 3],
  };
  function doctorRank(result) {
    return (DOCTOR[result] || DOCTOR.unknown)[2];
  }
  /** "just now", "3 min ago", "2 h ago", or the time itself when it is older than a day. */
  function ago(iso) {
    const t = instant(iso);
    if (isNaN(t)) return '';
    const s = Math.max(0, Math.round((Date.now() - t) / 1000));
    if (s < 60) return 'just now';
    if (s < 3600) return Math.floor(s / 60) + ' min ago';
    if (s < 86400) return Math.floor(s / 3600) + ' h ago';
    return formatTime(iso);
  }

  /**
   * The "Setup doctor" section of the Status page (GET /api/doctor; admins can run the checks again). Hidden while
   * the tracker has no doctor (404). Every text from the server goes in as text, never as HTML.
   */
  function DoctorSection() {
    const summary = h('p', { class: 'doctor-summary', id: 'doctor-summary', role: 'status' });
    const list = h('ul', { class: 'doctor-checks', id: 'doctor-checks' });
    const out = h('p', { class: 'action-msg', id: 'doctor-msg', role: 'status' });
    const run = h('button', { type: 'button', id: 'doctor-run', class: 'primary' }, 'Run checks now');
    const tools = h('div', { class: 'doctor-tools' }, run, out);
    const el = h('section', { class: 'doctor', id: 'doctor', 'aria-labelledby': 'doctor-title', hidden: true },
      h('h2', { id: 'doctor-title', text: 'Setup doctor' }), summary, tools, list);
    let last = null;
    run.addEventListener('click', async () => {
      const d = await act(run, 'Running checks…', out, () => post('/api/doctor/run'));
      if (!d) return;
      render(d);
      say(out, 'Checks finished.', true);
    });

    function row(c) {
      const result = DOCTOR[c.result] ? c.result : 'unknown';
      const [icon, text] = DOCTOR[result];
      const ok = result === 'ok';
      return h('li', { class: 'doctor-check doctor-' + result, 'data-check': c.id || '', 'data-result': result },
        h('div', { class: 'doctor-head' },
          h('span', { class: 'badge doctor-badge doctor-' + result },
            h('span', { 'aria-hidden': 'true', text: icon + ' ' }), text),
          h('span', { class: 'doctor-title', text: c.title || c.id || '' }),
          c.upstream ? h('span', { class: 'muted doctor-upstream', text: SERVICES[c.upstream] || c.upstream }) : null),
        !ok && c.found ? h('p', { class: 'doctor-found' }, h('span', { class: 'doctor-label', text: 'Found: ' }), c.found) : null,
        !ok && c.why ? h('p', { class: 'doctor-why muted' }, h('span', { class: 'doctor-label', text: 'Why it matters: ' }), c.why) : null,
        !ok && c.fix ? h('div', { class: 'doctor-fix' }, h('span', { class: 'doctor-label', text: 'Fix' }),
          h('pre', { class: 'doctor-fix-text', text: c.fix })) : null,
        c.checked_at ? h('p', { class: 'muted doctor-checked', text: 'Checked ' + formatTime(c.checked_at, true) }) : null);
    }

    function render(d) {
      last = d || {};
      const checks = (Array.isArray(last.checks) ? last.checks : []).slice()
        .sort((a, b) => doctorRank(a.result) - doctorRank(b.result));
      const counts = { problem: 0, warning: 0, unknown: 0, ok: 0 };
      for (const c of checks) counts[DOCTOR[c.result] ? c.result : 'unknown']++;
      const parts = [];
      if (counts.problem) parts.push(counts.problem + (counts.problem === 1 ? ' problem' : ' problems'));
      if (counts.warning) parts.push(counts.warning + (counts.warning === 1 ? ' warning' : ' warnings'));
      if (counts.unknown) parts.push(counts.unknown + ' unknown');
      if (counts.ok) parts.push(counts.ok + ' ok');
      let text = parts.length ? parts.join(', ') : 'No checks yet';
      if (last.running) text += ' · checks are running…';
      else text += last.ran_at ? ' · checked ' + ago(last.ran_at) : ' · not checked yet';
      setText(summary, text);
      summary.className = 'doctor-summary ' + (counts.problem ? 'bad' : counts.warning ? 'warn' : 'good');
      setAttr(summary, 'title', last.ran_at ? formatTime(last.ran_at, true) : null);
      list.replaceChildren(...checks.map(row));
      show(tools, isAdmin());
      show(el, true);
    }

    return {
      el, render,
      /** Fetches the doctor's last results: a 404 (no doctor on this tracker) hides the section, other failures keep what was shown. */
      async load() {
        try {
          render(await api('/api/doctor'));
          live.doctor = 'shown';
        } catch (e) {
          if (e.status === 404) {
            show(el, false);
            live.doctor = 'absent';
          } else {
            live.doctor = 'failed';
            if (last) render(last); // the time since the last run moves on
          }
        }
        live.doctorLoads++;
      },
    };
  }

  function StatusPage() {
    const body = h('div', {}, h('p', { class: 'muted', text: 'Loading…' }));
    const checked = h('span', { class: 'muted' });
    const doctor = DoctorSection();
    const el = h('section', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Status'),
        h('p', {}, checked, ' ', h('button', { type: 'button', onclick: () => load(page) }, 'Refresh'))), body, doctor.el);
    const UPSTREAM = {
      not_configured: 'Not configured', reachable: 'Reachable', unauthorized: 'Unauthorized', down: 'Down',
      unknown: 'Not checked yet',
    };
    const SHOKO = {
      disabled: 'Disabled', not_configured: 'Not configured (set SHOKO_API_KEY)', connecting: 'Connecting',
      connected: 'Connected', reconnecting: 'Reconnecting', auth_failed: 'API key refused',
    };
    /** The Shoko hub line: its state, since when, and why the last attempt failed while it is not connected. */
    function shokoHub(d) {
      const hub = d.shoko_hub || { state: d.shoko_signalr };
      let text = SHOKO[hub.state] || hub.state || '—';
      if (hub.since && hub.state !== 'disabled' && hub.state !== 'not_configured') text += ' since ' + formatTime(hub.since);
      const bad = hub.state === 'reconnecting' || hub.state === 'auth_failed';
      return h('dd', { id: 'shoko-hub', class: 'shoko-' + (hub.state || 'unknown') },
        h('span', { class: bad ? 'svc-error' : '', text: text }),
        bad && hub.attempts ? h('span', { class: 'muted', text: ' (' + hub.attempts + ' failed attempt' + (hub.attempts === 1 ? '' : 's') + ')' }) : null,
        bad && hub.last_error ? h('p', { class: 'svc-error', text: 'Last error: ' + hub.last_error }) : null);
    }
    let timer = 0;
    const page = {
      el, title: 'Status', doctor,
      async load() {
        doctor.load(); // on its own: a tracker without a doctor (or a slow one) does not hold up the health
        const d = await api('/api/health');
        live.loads++;
        const healthy = d.status === 'healthy';
        const upstreams = Object.entries(d.upstreams || {}).map(([name, u]) => {
          const state = u.state || 'unknown';
          let text = UPSTREAM[state] || state;
          if (state !== 'not_configured' && state !== 'unknown' && u.since) text += ' since ' + formatTime(u.since);
          return h('li', { class: 'svc svc-' + state, 'data-service': name },
            h('span', { class: 'svc-name', text: SERVICES[name] || name }),
            h('span', { class: 'badge up-' + state, text: text }),
            u.address ? h('span', { class: 'svc-addr muted', text: u.address }) : null,
            u.last_error && state !== 'reachable' ? h('p', { class: 'svc-error', text: 'Last error: ' + u.last_error }) : null,
            state === 'not_configured' && u.hint ? h('p', { class: 'muted svc-hint', text: u.hint }) : null,
            u.checked_at ? h('p', { class: 'muted svc-checked', text: 'Checked ' + formatTime(u.checked_at, true) }) : null);
        });
        body.replaceChildren(
          h('p', { class: 'overall ' + (healthy ? 'ok' : 'bad'), role: 'status',
            text: healthy ? 'All systems operational' : 'Degraded: something needs attention' }),
          h('dl', { class: 'facts' },
            h('dt', { text: 'Database' }), h('dd', { text: d.database === 'connected' ? 'Connected' : d.database }),
            h('dt', { text: 'Shoko hub' }), shokoHub(d),
            h('dt', { text: 'Webhook secret' }), h('dd', { id: 'webhook-secret',
              text: d.webhook_secret === 'on' ? 'Required'
                : 'Off: anyone who can reach /hooks can change requests (set WEBHOOK_SECRET)' }),
            h('dt', { text: 'Dashboards connected' }), h('dd', { id: 'sse-clients', text: String(d.sse_clients) }),
            h('dt', { text: 'Version' }), h('dd', { text: d.version || settings.version || '—' })),
          h('h2', { text: 'Services' }), h('ul', { class: 'services' }, ...upstreams));
        setText(checked, 'Checked ' + formatTime(Date.now() / 1000, true));
        clearTimeout(timer);
        timer = setTimeout(() => load(page), 15000); // no stream for health: ask again while the page is open
      },
      fail(message) {
        body.replaceChildren(errorBox(message, () => load(page)));
        clearTimeout(timer);
        timer = setTimeout(() => load(page), 15000);
      },
      apply() {
        // nothing on this page follows requests
      },
      destroy() {
        clearTimeout(timer);
      },
    };
    return page;
  }

  // ----------------------------------------------------------------------------------------------- deletions

  function statusBadge(status) {
    return h('span', { class: 'badge dstatus dstatus-' + status, text: DELETION_STATUS[status] || status || '' });
  }
  function setStatusBadge(badge, status) {
    setText(badge, DELETION_STATUS[status] || status || '');
    setAttr(badge, 'class', 'badge dstatus dstatus-' + status);
  }
  function stepIcon(status) {
    return h('span', { class: 'step-icon', 'aria-hidden': 'true', text: (STEP[status] || ['?'])[0] });
  }
  function stepLabel(status) {
    return (STEP[status] || [null, status || ''])[1];
  }
  function sourceLabel(source) {
    return SOURCES[source] || source || '';
  }
  /** A deletion event's view lacks the deleted_by fields: keep the ones we have. */
  function mergeLog(old, update) {
    const merged = Object.assign({}, old || {}, update);
    if (old) {
      for (const k of ['deleted_by_username', 'deleted_by_user_id']) {
        if (update[k] === undefined) merged[k] = old[k];
      }
    }
    return merged;
  }

  /** Admin pages say who may see them instead of loading nothing. */
  function AdminOnlyPage(title) {
    const text = auth.authenticated
      ? 'Only administrators can see this page; ' + (auth.username || 'your account') + ' is not one.'
      : 'Log in with an administrator\'s Jellyfin account to see this page.';
    return {
      el: h('section', { class: 'page admin-only' }, h('h1', { tabindex: '-1' }, title),
        h('p', { class: 'notice', id: 'admin-only', text }),
        auth.authenticated || !auth.known ? null : h('p', {}, h('a', {
          href: '#/login?next=' + encodeURIComponent(location.hash || '#/'), text: 'Login',
        }))),
      title, load: async () => {}, apply() {},
    };
  }

  function DeletionsPage(params) {
    const source = SOURCES[params.get('source')] ? params.get('source') : '';
    const page = Math.max(1, parseInt(params.get('page'), 10) || 1);
    const perPage = 20;
    const tabs = h('nav', { class: 'tabs', 'aria-label': 'Filter by source' });
    const rowsBox = h('tbody', { id: 'deletion-rows' });
    const table = h('table', { class: 'dtable', id: 'deletions' },
      h('caption', { class: 'sr-only', text: 'Deletions, newest first' }),
      h('thead', {}, h('tr', {}, ...['Title', 'Type', 'Source', 'Deleted by', 'Status', 'Started']
        .map(t => h('th', { scope: 'col', text: t })))), rowsBox);
    const empty = h('div', { class: 'empty', hidden: true }, h('p', { class: 'empty-title', text: 'No deletions' }),
      h('p', { class: 'muted', text: 'Requests deleted here, or in Sonarr or Radarr, are listed with what happened in each service.' }));
    const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
    const status = h('div');
    const el = h('section', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Deletions')), tabs, status, empty, table, pager);
    const rows = new Map(); // deletion log id -> {log, badge, done}
    let refetch = 0;

    function href(src, p) {
      const q = new URLSearchParams();
      if (src) q.set('source', src);
      if (p > 1) q.set('page', p);
      const qs = q.toString();
      return '#/deletions' + (qs ? '?' + qs : '');
    }
    function row(log) {
      const badge = statusBadge(log.status);
      const done = h('span', { class: 'muted done-at' });
      const tr = h('tr', { 'data-id': log.id },
        h('td', { class: 'd-title', 'data-label': 'Title' }, h('div', { class: 'd-title-in' },
          h('span', { class: 'thumb' }, log.poster_url ? h('img', {
            src: log.poster_url, alt: '', loading: 'lazy', onerror: e => e.target.remove(),
          }) : null),
          h('span', {}, h('a', { href: '#/deletions/' + log.id, text: log.title || 'Untitled' }),
            log.year ? h('span', { class: 'muted', text: ' ' + log.year }) : null))),
        h('td', { 'data-label': 'Type', text: log.media_type === 'tv' ? 'TV' : log.media_type === 'movie' ? 'Movie' : (log.media_type || '') }),
        h('td', { 'data-label': 'Source', text: sourceLabel(log.source) }),
        h('td', { 'data-label': 'Deleted by', text: log.deleted_by_username || 'System' }),
        h('td', { 'data-label': 'Status' }, badge),
        h('td', { 'data-label': 'Started' }, h('time', { datetime: log.initiated_at, text: formatTime(log.initiated_at) }), done));
      const entry = { log, badge, done, tr };
      patch(entry, log);
      rows.set(log.id, entry);
      return tr;
    }
    function patch(entry, log) {
      entry.log = mergeLog(entry.log, log);
      setStatusBadge(entry.badge, entry.log.status);
      setText(entry.done, entry.log.completed_at ? ' · done ' + formatTime(entry.log.completed_at) : '');
    }

    const view$ = {
      el, title: 'Deletions',
      async load() {
        const q = new URLSearchParams({ page: String(page), per_page: String(perPage) });
        if (source) q.set('source', source);
        const d = await api('/api/deletion-logs?' + q);
        live.loads++;
        const counts = d.counts || {};
        const all = Object.keys(SOURCES).reduce((sum, k) => sum + (counts[k] || 0), 0);
        tabs.replaceChildren(...[['', 'All', all], ...Object.entries(SOURCES).map(([k, name]) => [k, name, counts[k] || 0])]
          .map(([k, name, n]) => h('a', { href: href(k, 1), class: 'tab', 'data-source': k || 'all', 'aria-current': k === source ? 'page' : null },
            name, h('span', { class: 'count', text: String(n) }))));
        rows.clear();
        const logs = d.logs || [];
        rowsBox.replaceChildren(...logs.map(row));
        show(table, logs.length > 0);
        show(empty, logs.length === 0);
        const pages = Math.max(1, Math.ceil((d.total || 0) / perPage));
        pager.replaceChildren(
          page > 1 ? h('a', { href: href(source, page - 1), text: '← Newer' }) : h('span'),
          h('span', { class: 'muted', text: 'Page ' + page + ' of ' + pages + ' · ' + (d.total || 0) + ' deletions' }),
          page < pages ? h('a', { href: href(source, page + 1), text: 'Older →' }) : h('span'));
        status.replaceChildren();
      },
      fail(message) {
        status.replaceChildren(errorBox(message, () => load(this)));
      },
      apply() {
        // requests are not listed here
      },
      applyDeletions(batch) {
        let unknown = false;
        for (const u of batch) {
          const entry = rows.get(u.deletion_log_id);
          if (entry && u.deletion) patch(entry, u.deletion);
          else if (!entry) unknown = true;
        }
        // A new deletion: the counts and the list change; fetch again (a burst of events fetches once).
        if (unknown) {
          clearTimeout(refetch);
          refetch = setTimeout(() => load(view$), 300);
        }
      },
      destroy() {
        clearTimeout(refetch);
      },
    };
    return view$;
  }

  function DeletionDetailPage(id) {
    const back = h('p', { class: 'back' }, h('a', { href: '#/deletions', text: '← Deletions' }));
    const heading = h('h1', { tabindex: '-1', text: 'Deletion' });
    const badge = statusBadge('');
    const facts = h('dl', { class: 'facts', id: 'deletion-facts' });
    const retry = h('button', { type: 'button', id: 'retry-steps', hidden: true }, 'Retry failed steps');
    const out = h('p', { class: 'action-msg', id: 'deletion-msg', role: 'status' });
    const services = h('ul', { class: 'steps', id: 'steps' });
    const events = h('ol', { class: 'timeline devents', id: 'deletion-events' });
    const status = h('div');
    const body = h('div', { hidden: true }, facts, h('div', { class: 'actions' }, h('div', { class: 'action-buttons' }, retry), out),
      h('h2', { text: 'Services' }), services, h('h2', { text: 'Everything that happened' }), events);
    const el = h('section', { class: 'page deletion-detail' }, back,
      h('div', { class: 'page-head' }, heading, badge), status, body);
    let log = null;
    let refetch = 0;

    function render() {
      setText(heading, (log.title || 'Untitled') + (log.year ? ' (' + log.year + ')' : ''));
      setStatusBadge(badge, log.status);
      setAttr(badge, 'id', 'deletion-status');
      const rows = [
        ['Type', log.media_type === 'tv' ? 'TV' : log.media_type === 'movie' ? 'Movie' : log.media_type],
        ['Source', sourceLabel(log.source)],
        ['Deleted by', log.deleted_by_username || (log.source === 'dashboard' ? null : 'System')],
        ['Started', formatTime(log.initiated_at, true)],
        ['Finished', log.completed_at ? formatTime(log.completed_at, true) : (log.status === 'in_progress' ? 'Still running…' : null)],
        ['Files on disk', log.delete_files == null ? null : (log.delete_files ? 'Deleted' : 'Kept')],
      ].filter(([, v]) => v != null && v !== '');
      facts.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: String(v) })]),
        log.request_id != null ? h('dt', { text: 'Request' }) : null,
        log.request_id != null ? h('dd', {}, h('a', { href: '#/request/' + log.request_id, text: '#' + log.request_id })) : null);
      show(retry, log.status === 'incomplete');
      // The latest status of each service, in the order the server works through them.
      const steps = [...(log.steps || [])].sort((a, b) => order(a.service) - order(b.service));
      const signature = JSON.stringify(steps);
      if (services.dataset.sig !== signature) {
        services.dataset.sig = signature;
        services.replaceChildren(...(steps.length ? steps.map(st => h('li', { class: 'step step-' + st.status, 'data-service': st.service, 'data-status': st.status },
          stepIcon(st.status),
          h('span', { class: 'svc-name', text: SERVICES[st.service] || st.service }),
          h('span', { class: 'step-status', text: stepLabel(st.status) }),
          st.occurred_at ? h('time', { class: 'muted', datetime: st.occurred_at, text: formatTime(st.occurred_at, true) }) : null,
          st.details ? h('p', { class: 'step-details', text: st.details }) : null,
          st.error ? h('p', { class: 'step-error', text: 'Error: ' + st.error }) : null))
          : [h('li', { class: 'muted', text: 'No service steps recorded.' })]));
      }
    }
    function renderEvents(items) {
      const sorted = [...items].sort((a, b) => instant(a.occurred_at) - instant(b.occurred_at) || (a.id || 0) - (b.id || 0));
      events.replaceChildren(...(sorted.length ? sorted.map(e => h('li', { class: 'tl step-' + e.status, 'data-service': e.service, 'data-status': e.status },
        h('time', { datetime: e.occurred_at, text: formatTime(e.occurred_at, true) }),
        h('span', { class: 'badge small step-badge step-' + e.status }, stepIcon(e.status), ' ' + stepLabel(e.status)),
        h('span', { class: 'tl-type', text: SERVICES[e.service] || e.service }),
        e.details ? h('p', { class: 'tl-details', text: e.details }) : null,
        e.error ? h('p', { class: 'tl-details step-error', text: 'Error: ' + e.error }) : null))
        : [h('li', { class: 'muted', text: 'Nothing yet.' })]));
    }

    retry.addEventListener('click', async () => {
      const d = await act(retry, 'Retrying…', out, () => post('/api/deletion-logs/' + id + '/retry'));
      if (!d) return;
      say(out, 'Retrying the failed steps…', true);
      log = mergeLog(log, d);
      render();
      if (Array.isArray(d.events)) renderEvents(d.events);
    });

    const view$ = {
      el, title: 'Deletion',
      async load() {
        const d = await api('/api/deletion-logs/' + id);
        live.loads++;
        log = mergeLog(log, d);
        show(body, true);
        status.replaceChildren();
        render();
        renderEvents(d.events || []);
        this.title = (d.title || 'Deletion') + ' · Deletion';
        document.title = this.title + ' · status-tracker';
      },
      fail(message) {
        status.replaceChildren(errorBox(message.startsWith('404') ? 'this deletion does not exist.' : message,
          message.startsWith('404') ? null : () => load(this)));
      },
      apply() {
        // the request's own updates are on its page
      },
      applyDeletions(batch) {
        let mine = false;
        for (const u of batch) {
          if (u.deletion_log_id !== id || !u.deletion) continue;
          log = mergeLog(log, u.deletion);
          mine = true;
        }
        if (!mine) return;
        render();
        // The stream carries each service's latest step; the full list of events comes with the log.
        clearTimeout(refetch);
        refetch = setTimeout(() => load(view$), 300);
      },
      destroy() {
        clearTimeout(refetch);
      },
    };
    return view$;
  }

  // ----------------------------------------------------------------------------------------------- login

  /** next: where to go after logging in (a #/ route); null when the login stands in front of the page asked for. */
  function LoginPage(next) {
    const error = h('p', { class: 'error-text', id: 'login-error', role: 'alert', hidden: true });
    const user = h('input', {
      id: 'login-username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'none',
      spellcheck: 'false', required: true, 'aria-describedby': 'login-error',
    });
    const pass = h('input', {
      id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password',
      'aria-describedby': 'login-error',
    });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Sign in');
    // method=post: should the script ever not run, the browser never puts the password into a URL.
    // novalidate: an empty user name is said in the same place as every other problem, not in a browser bubble.
    const form = h('form', {
      class: 'login-form', id: 'login-form', method: 'post', action: '#', novalidate: true, 'aria-labelledby': 'login-title',
    },
      h('p', { class: 'muted', id: 'login-intro', text: 'Sign in with your Jellyfin account' }),
      error,
      h('label', { for: 'login-username', text: 'Username' }), user,
      h('label', { for: 'login-password', text: 'Password' }), pass,
      submit);
    const el = h('section', { class: 'page login' },
      h('h1', { tabindex: '-1', id: 'login-title' }, 'Login'),
      needsLogin() ? h('p', { class: 'muted', text: 'This dashboard needs a login.' }) : null, form);
    let waitTimer = 0;

    function fail(text) {
      setText(error, text);
      show(error, true);
      pass.value = '';
      pass.focus();
    }
    /** 429: the wait, counted down; the button waits too. */
    function waitFor(seconds, detail) {
      let left = seconds;
      busy(submit, 'Wait ' + left + ' s');
      const tick = () => {
        left--;
        if (left <= 0) {
          clearInterval(waitTimer);
          idle(submit);
          setText(error, 'You can try again now.');
          return;
        }
        setText(submit, 'Wait ' + left + ' s');
      };
      clearInterval(waitTimer);
      waitTimer = setInterval(tick, 1000);
      fail(detail || 'Too many failed logins; try again in ' + seconds + ' seconds');
    }

    form.addEventListener('submit', async e => {
      e.preventDefault();
      if (isBusy(submit)) return;
      if (!user.value.trim()) {
        fail('Enter your Jellyfin user name.');
        user.focus();
        return;
      }
      show(error, false);
      busy(submit, 'Signing in…');
      let s;
      try {
        s = await post('/api/auth/login', { username: user.value.trim(), password: pass.value });
      } catch (err) {
        idle(submit);
        if (err.status === 429) waitFor(err.retryAfter || 30, err.detail);
        else if (err.status === 401) fail(err.detail || 'Wrong user name or password.');
        else if (err.status === 503) fail(err.detail || 'Jellyfin cannot be reached right now; try again later.');
        else if (err.status == null) fail('The tracker could not be reached: ' + (err.message || err));
        else fail('Login failed: ' + (err.detail || err.message));
        return;
      }
      idle(submit);
      pass.value = '';
      setSession(Object.assign({ authenticated: true }, s));
      afterLogin(next);
    });

    return {
      el, title: 'Login',
      async load() {
        // nothing to fetch
      },
      apply() {},
      destroy() {
        clearInterval(waitTimer);
      },
      focusFirst() {
        user.focus();
      },
    };
  }

  function afterLogin(next) {
    if (!source) connect();
    if (!settingsLoaded) loadSettings();
    if ((location.hash || '').startsWith('#/login')) {
      const target = next && next.startsWith('#/') && !next.startsWith('#/login') ? next : '#/';
      location.hash = target; // the hashchange draws it
    } else {
      route(false); // the page that was asked for, now with the session
    }
  }

  function NotFoundPage() {
    return {
      el: h('section', { class: 'page' }, h('h1', { tabindex: '-1' }, 'Not found'),
        h('p', {}, 'No such page. ', h('a', { href: '#/', text: 'Back to Active' }))),
      title: 'Not found', load: async () => {}, apply() {},
    };
  }

  // ----------------------------------------------------------------------------------------------- router

  const main = document.getElementById('main');
  let view = null;

  async function load(v) {
    try {
      await v.load();
      if (v !== view) return;
      v.ready = true;
      scheduleFlush();
    } catch (e) {
      if (e.status === 401 && v === view) {
        // The session ended (or this dashboard needs a login): ask, and show the login in front of this page.
        await refreshSession();
        if (needsLogin()) {
          stopStream();
          if (v === view) route(false);
          return;
        }
      }
      if (v === view && v.fail) v.fail(e.message || String(e));
    }
  }

  function route(first) {
    const hash = location.hash || '#/';
    if (!hash.startsWith('#/')) return; // an in-page anchor, not a page
    const [path, query] = hash.slice(1).split('?');
    const params = new URLSearchParams(query || '');
    if (view && view.destroy) view.destroy();
    closeDialogs();
    deletions.length = 0; // the new page loads them fresh
    let m;
    let section = path;
    if (needsLogin()) {
      // Only the login page until someone logs in; then back to the page that was asked for.
      view = LoginPage(path === '/login' ? params.get('next') : null);
      section = '/login';
    } else if (path === '/' || path === '') {
      view = ActivePage();
      section = '/';
    } else if ((m = /^\/request\/(\d+)$/.exec(path))) {
      view = DetailPage(Number(m[1]));
      section = '/';
    } else if (path === '/history') {
      view = HistoryPage(params);
    } else if (path === '/status') {
      view = StatusPage();
    } else if (path === '/deletions') {
      view = isAdmin() ? DeletionsPage(params) : AdminOnlyPage('Deletions');
    } else if ((m = /^\/deletions\/(\d+)$/.exec(path))) {
      view = isAdmin() ? DeletionDetailPage(Number(m[1])) : AdminOnlyPage('Deletion');
      section = '/deletions';
    } else if (path === '/login') {
      if (auth.authenticated) {
        // Already logged in: straight on to where the login would have led.
        const next = params.get('next');
        location.replace(next && next.startsWith('#/') && !next.startsWith('#/login') ? next : '#/');
        return;
      }
      view = LoginPage(params.get('next'));
    } else {
      view = NotFoundPage();
    }
    for (const a of document.querySelectorAll('[data-nav]')) {
      setAttr(a, 'aria-current', a.getAttribute('data-nav') === section ? 'page' : null);
    }
    updateLoginLink();
    main.replaceChildren(view.el);
    document.title = view.title + ' · status-tracker';
    if (view.focusFirst) {
      view.focusFirst(); // the login form: straight into the user name
    } else if (!first) {
      // Keyboard and screen reader users land on the new page's heading, as after a page load.
      const heading = view.el.querySelector('h1[tabindex]');
      (heading || main).focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    load(view);
  }

  document.querySelector('.skip').addEventListener('click', e => {
    e.preventDefault();
    main.focus();
  });
  window.addEventListener('hashchange', () => route(false));

  let settingsLoaded = false;
  function loadSettings() {
    return api('/api/dashboard').then(s => {
      settings = s;
      settingsLoaded = true;
      setText(document.getElementById('version'), s.version ? 'v' + s.version : '');
      if (view && view.ready && view.title !== 'Active') load(view); // Watch links need the Jellyfin address
    }).catch(() => {
      // without it there are no Watch links; everything else works (and with a login required it comes after it)
    });
  }

  // The session first: it decides between the login page and the dashboard, and which controls are drawn.
  loadSettings();
  refreshSession().then(() => {
    route(true);
    if (!needsLogin()) connect();
  });
})();
