// status-tracker dashboard: hand-written, no build step, no dependencies. Pages are hash routes (#/, #/request/7,
// #/history, #/status) so the service serves one static index.html. Live updates come from /api/sse and patch the
// affected card in place; see README "Dashboard" and docs/architecture.md "Frontend".
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

  async function api(path) {
    const res = await fetch(path, { headers: { Accept: 'application/json' } });
    if (!res.ok) {
      let detail = '';
      try {
        const body = await res.json();
        detail = body.detail || body.message || '';
      } catch (e) {
        // not JSON: the status says enough
      }
      throw new Error(res.status + (detail ? ': ' + detail : ' ' + res.statusText));
    }
    return res.json();
  }

  let settings = { jellyfin_url: null, version: '' };
  function watchUrl(r) {
    if (!settings.jellyfin_url || !r.jellyfin_id || r.state === 'removed') return null;
    return settings.jellyfin_url + '/web/index.html#!/details?id=' + encodeURIComponent(r.jellyfin_id);
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
    }
  }

  // ----------------------------------------------------------------------------------------------- live

  // Window-visible for people debugging a dashboard (and for the browser tests): what the stream did.
  const live = {
    state: 'connecting', states: ['connecting'], connects: 0, resets: 0, resumedAfter: null, lastEventId: null,
    attempts: 0, loads: 0,
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
      if (u && u.request) queueUpdate(u);
    });
    es.addEventListener('reset', e => {
      // What we missed is no longer kept: load the page's data again (not the page itself).
      if (e.lastEventId) live.lastEventId = e.lastEventId;
      live.resets++;
      live.attempts = 0;
      setConnection('live', 'Live'); // the stream goes on live after a reset (no 'connected' on this connection)
      pending.clear();
      if (view) load(view);
    });
    es.onerror = () => {
      if (es !== source) return;
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (an error status, e.g. a proxy's 502 while the service restarts): back off and
        // open a new stream ourselves.
        es.close();
        scheduleReopen();
      } else {
        setConnection('reconnecting', 'Reconnecting…');
      }
    };
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

  // Back online, or the phone's screen is on again: do not wait for the backoff.
  window.addEventListener('online', () => {
    if (live.state === 'offline') connect();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && live.state === 'offline') connect();
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
  function scheduleFlush() {
    if (!frame && pending.size) frame = requestAnimationFrame(flush);
  }
  function flush() {
    frame = 0;
    if (!view || !view.ready) return; // applied once the page has its data (load() calls scheduleFlush)
    const batch = [...pending.values()];
    pending.clear();
    view.apply(batch);
  }

  const toasts = document.getElementById('toasts');
  function toast(node) {
    const item = h('li', {}, node);
    toasts.append(item);
    setTimeout(() => item.remove(), 8000);
    while (toasts.children.length > 4) toasts.firstElementChild.remove();
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
          events = h('ul', { class: 'events', id: 'events' });
          const overview = d.overview ? h('p', { class: 'overview', text: d.overview }) : null;
          body.replaceChildren(card.el, overview, facts,
            h('h2', { text: 'Timeline' }), timeline,
            h('h2', { text: 'Inbound events' }),
            h('p', { class: 'muted', text: 'What each service sent about this request, secrets masked.' }), events);
        } else if (notOlder(d, card.req)) {
          card.update(d);
        }
        renderFacts(card.req);
        renderTimeline(d.timeline_events || []);
        renderEvents(d.events || []);
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
    const el = h('section', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'History'),
        h('label', { class: 'filter' }, 'Requested by ', who)),
      tabs, status, list, pager);
    let refetch = 0;
    let shown = new Set();

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

    return {
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
        list.replaceChildren(...(d.requests.length ? d.requests.map(r => new Card(r, 'history').el)
          : [h('div', { class: 'empty' }, h('p', { class: 'empty-title', text: 'Nothing here yet' }),
            h('p', { class: 'muted', text: 'Finished requests (ready, failed, timed out, removed) are listed here.' }))]));
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
  }

  function StatusPage() {
    const body = h('div', {}, h('p', { class: 'muted', text: 'Loading…' }));
    const checked = h('span', { class: 'muted' });
    const el = h('section', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Status'),
        h('p', {}, checked, ' ', h('button', { type: 'button', onclick: () => load(page) }, 'Refresh'))), body);
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
      el, title: 'Status',
      async load() {
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
      if (v === view && v.fail) v.fail(e.message || String(e));
    }
  }

  function route(first) {
    const hash = location.hash || '#/';
    if (!hash.startsWith('#/')) return; // an in-page anchor, not a page
    const [path, query] = hash.slice(1).split('?');
    if (view && view.destroy) view.destroy();
    let m;
    let section = path;
    if (path === '/' || path === '') {
      view = ActivePage();
      section = '/';
    } else if ((m = /^\/request\/(\d+)$/.exec(path))) {
      view = DetailPage(Number(m[1]));
      section = '/';
    } else if (path === '/history') {
      view = HistoryPage(new URLSearchParams(query || ''));
    } else if (path === '/status') {
      view = StatusPage();
    } else {
      view = NotFoundPage();
    }
    for (const a of document.querySelectorAll('[data-nav]')) {
      setAttr(a, 'aria-current', a.getAttribute('data-nav') === section ? 'page' : null);
    }
    main.replaceChildren(view.el);
    document.title = view.title + ' · status-tracker';
    if (!first) {
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

  api('/api/dashboard').then(s => {
    settings = s;
    setText(document.getElementById('version'), s.version ? 'v' + s.version : '');
    if (view && view.ready && view.title !== 'Active') load(view); // Watch links need the Jellyfin address
  }).catch(() => {
    // without it there are no Watch links; everything else works
  });
  route(true);
  connect();
})();
