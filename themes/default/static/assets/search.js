/* gongkai site search: reads the index `gongkai build` writes under search/ (see
   src/search.rs for its files; this file's folding and tokenising must match it) and
   searches it in the browser. No framework, nothing from other hosts. */
(function () {
  'use strict';
  var app = document.getElementById('search-app');
  if (!app || !window.fetch || !window.Promise) return;
  var root = app.getAttribute('data-index');
  var base = app.getAttribute('data-base');
  /* A site built with --relative may be opened from disk, where browsers refuse fetch:
     the index is then read from its script twins (search/p/3.js beside p/3.json). */
  var offline = app.hasAttribute('data-offline');
  var pending = {};
  window.gongkaiSearchData = function (path, data) {
    var p = pending[path];
    if (p) { delete pending[path]; p(data); }
  };
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-q');
  var colSel = document.getElementById('search-col');
  var yearSel = document.getElementById('search-year');
  var sortSel = document.getElementById('search-sort');
  /* Only on a portal group's search page: the member agency of each page. */
  var agencySel = document.getElementById('search-agency');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var PAGE = 10;
  var meta = null;
  var titles = null;
  var agencies = null;
  var shards = {};
  var chunks = {};
  var run = 0;
  var state = null;

  var CJK = /^[\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2ffff}]$/u;
  var WORD = /^[\p{L}\p{N}]$/u;

  /* Full-width ASCII to half-width, ideographic space to space, Latin capitals to lower
     case: one UTF-16 unit for one, so positions in folded text are positions in the text. */
  var FOLDABLE = /[\uff01-\uff5e\u3000A-Z]/;
  function fold(s) {
    if (!FOLDABLE.test(s)) return s;
    return s.replace(/[\uff01-\uff5e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/\u3000/g, ' ').replace(/[A-Z]/g, function (c) { return c.toLowerCase(); });
  }

  /* Runs of CJK characters and of letters or digits; everything else separates. */
  function runs(s) {
    var out = [];
    var cur = null;
    Array.from(s).forEach(function (c) {
      var kind = CJK.test(c) ? 'cjk' : (WORD.test(c) ? 'word' : null);
      if (cur && cur.kind === kind) {
        cur.text += c;
        cur.len += 1;
      } else {
        if (cur) out.push(cur);
        cur = kind ? { kind: kind, text: c, len: 1 } : null;
      }
    });
    if (cur) out.push(cur);
    return out;
  }

  function tokensOf(run) {
    if (run.kind === 'word') return [run.text];
    var cs = Array.from(run.text);
    var t = [];
    for (var i = 1; i < cs.length; i++) t.push(cs[i - 1] + cs[i]);
    return t;
  }

  function fnv1a(s) {
    var bytes = new TextEncoder().encode(s);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function getJSON(path) {
    if (offline) {
      return new Promise(function (resolve, reject) {
        pending[path] = resolve;
        var s = document.createElement('script');
        s.src = root + path.replace(/\.json$/, '.js');
        s.onerror = function () { delete pending[path]; reject(new Error(path)); };
        document.head.appendChild(s);
      });
    }
    return fetch(root + path + '?v=' + info.version).then(function (r) {
      if (!r.ok) throw new Error(r.status + ' ' + path);
      return r.json();
    });
  }

  /* The page knows the index's shape, so the list of pages and the first postings are
     fetched at the same time. */
  var info = { version: app.getAttribute('data-version'), shards: +app.getAttribute('data-shards'),
    chunk: +app.getAttribute('data-chunk') };

  function loadMeta() {
    if (!meta) meta = getJSON('meta.json');
    return meta;
  }

  function loadTitles() {
    if (!titles) titles = getJSON('docs.json');
    return titles;
  }

  /* {slugs: [member slugs], of: [the member of each page]}. */
  function loadAgencies() {
    if (!agencies) agencies = getJSON('agencies.json');
    return agencies;
  }

  function yearOf(id, m) {
    for (var i = 0; i < m.years.length; i++) {
      if (id >= m.years[i][1] && id < m.years[i][2]) return m.years[i][0];
    }
    return '';
  }

  function shard(n) {
    if (!shards[n]) shards[n] = getJSON('p/' + n + '.json');
    return shards[n];
  }

  function chunk(n) {
    if (!chunks[n]) chunks[n] = getJSON('t/' + n + '.json');
    return chunks[n];
  }

  /* The pages with `token`; with title true, those with it in the title or metadata. */
  function postings(token, title) {
    return shard(fnv1a(token) % info.shards).then(function (m) {
      var gaps = m[(title ? '^' : '') + token] || [];
      var ids = [];
      var id = 0;
      for (var i = 0; i < gaps.length; i++) { id += gaps[i]; ids.push(id); }
      return ids;
    });
  }

  function intersect(lists) {
    lists.sort(function (a, b) { return a.length - b.length; });
    var set = lists[0];
    for (var i = 1; i < lists.length; i++) {
      var other = new Set(lists[i]);
      set = set.filter(function (x) { return other.has(x); });
    }
    return set;
  }

  function containsAll(text, rs) {
    return rs.every(function (r) { return text.indexOf(r.text) >= 0; });
  }

  /* A page: [title, path, date, column, label, meta, text]. */
  function record(id) {
    return chunk(Math.floor(id / info.chunk)).then(function (c) {
      return c[id % info.chunk];
    });
  }

  /* Appends `text` to `el`, each match of a run wrapped in <mark>. */
  function highlight(el, text, rs) {
    var folded = fold(text);
    var pos = 0;
    while (pos < text.length) {
      var best = -1;
      var len = 0;
      rs.forEach(function (r) {
        var i = folded.indexOf(r.text, pos);
        if (i >= 0 && (best < 0 || i < best || (i === best && r.text.length > len))) {
          best = i;
          len = r.text.length;
        }
      });
      if (best < 0) break;
      el.appendChild(document.createTextNode(text.slice(pos, best)));
      var m = document.createElement('mark');
      m.textContent = text.slice(best, best + len);
      el.appendChild(m);
      pos = best + len;
    }
    el.appendChild(document.createTextNode(text.slice(pos)));
  }

  function snippet(text, rs) {
    var folded = fold(text);
    var first = -1;
    rs.forEach(function (r) {
      var i = folded.indexOf(r.text);
      if (i >= 0 && (first < 0 || i < first)) first = i;
    });
    var start = first < 0 ? 0 : Math.max(0, first - 30);
    var end = Math.min(text.length, start + 120);
    var s = text.slice(start, end).replace(/\s+/g, ' ');
    return (start > 0 ? '…' : '') + s + (end < text.length ? '…' : '');
  }

  function show(d, rs) {
    var text = d[6];
    var li = document.createElement('li');
    var h = document.createElement('h2');
    var a = document.createElement('a');
    a.href = base + d[1] + (offline && /\/$/.test(d[1]) ? 'index.html' : '');
    highlight(a, d[0], rs);
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement('p');
    meta.className = 'meta';
    meta.textContent = d[4] + ' · ' + d[2];
    li.appendChild(meta);
    if (d[5]) {
      var dm = document.createElement('p');
      dm.className = 'meta';
      highlight(dm, d[5], rs);
      li.appendChild(dm);
    }
    if (text) {
      var p = document.createElement('p');
      p.className = 'snippet';
      highlight(p, snippet(text, rs), rs);
      li.appendChild(p);
    }
    list.appendChild(li);
  }

  function say(text, ms) {
    status.textContent = text;
    if (ms !== undefined) status.setAttribute('data-ms', String(Math.round(ms)));
  }

  /* Shows the next page of confirmed results. */
  function fill(s) {
    var shown = 0;
    function step() {
      if (s.run !== run) return Promise.resolve();
      if (shown >= PAGE || s.pos >= s.cands.length) return Promise.resolve();
      var batch = s.cands.slice(s.pos, s.pos + PAGE - shown);
      s.pos += batch.length;
      return Promise.all(batch.map(record)).then(function (docs) {
        if (s.run !== run) return;
        docs.forEach(function (d) {
          var ok = !s.verify || containsAll(fold(d[0] + '\n' + d[5] + '\n' + d[6]), s.runs);
          if (ok) {
            s.found += 1;
            shown += 1;
            show(d, s.runs);
          } else {
            s.dropped += 1;
          }
        });
        return step();
      });
    }
    return step().then(function () {
      if (s.run !== run) return;
      var done = s.pos >= s.cands.length;
      more.hidden = done;
      var q = '“' + s.query + '”';
      if (s.found === 0 && done) {
        say('没有找到与' + q + '相关的内容。请检查用字，换用更短或别的关键词，或取消栏目和年份的限制。', performance.now() - s.t0);
      } else {
        var total = done ? s.found : s.cands.length - s.dropped;
        say((done ? '找到 ' : '找到约 ') + total + ' 条与' + q + '相关的结果' +
          (s.titleOnly ? '（单个汉字只在标题和文号中查找）' : '') +
          '，显示前 ' + s.found + ' 条。', performance.now() - s.t0);
      }
    });
  }

  function search() {
    var query = input.value.trim();
    var my = ++run;
    list.textContent = '';
    more.hidden = true;
    var params = new URLSearchParams();
    if (query) params.set('q', query);
    if (colSel.value) params.set('col', colSel.value);
    if (yearSel.value) params.set('year', yearSel.value);
    if (sortSel.value) params.set('sort', sortSel.value);
    if (agencySel && agencySel.value) params.set('agency', agencySel.value);
    var qs = params.toString();
    try {
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
    } catch (e) { /* some browsers refuse it for pages opened from disk */ }
    if (!query) { say(''); return Promise.resolve(); }
    var t0 = performance.now();
    var rs = runs(fold(query));
    if (!rs.length) { say('请输入汉字、英文或数字。'); return Promise.resolve(); }
    say('正在搜索…');
    var tokens = [];
    rs.forEach(function (r) { tokens = tokens.concat(tokensOf(r)); });
    var titleOnly = tokens.length === 0;
    var lists = titleOnly
      ? loadTitles().then(function (t) {
        var ids = [];
        for (var i = 0; i < t.docs.length; i++) {
          if (containsAll(fold(t.docs[i][0] + '\n' + t.docs[i][5]), rs)) ids.push(i);
        }
        return [ids, ids];
      })
      : Promise.all([
        Promise.all(tokens.map(function (t) { return postings(t, false); })).then(intersect),
        Promise.all(tokens.map(function (t) { return postings(t, true); })).then(intersect)
      ]);
    var byAgency = agencySel && agencySel.value ? loadAgencies() : null;
    return Promise.all([loadMeta(), lists, byAgency]).then(function (got) {
      if (my !== run) return;
      var m = got[0];
      var ag = got[2];
      var agency = ag ? ag.slugs.indexOf(agencySel.value) : -1;
      var inTitle = new Set(got[1][1]);
      var col = colSel.value ? colSel.value.charAt(0) : '';
      var year = yearSel.value;
      var cands = got[1][0].filter(function (i) {
        return (!col || m.columns.charAt(i) === col) && (!year || yearOf(i, m) === year) &&
          (!ag || ag.of[i] === agency);
      });
      /* Pages are numbered oldest first: the newest first, then those with the words
         in their title before the others unless sorted by date. */
      cands.reverse();
      if (sortSel.value !== 'date') {
        cands.sort(function (a, b) { return (inTitle.has(b) ? 1 : 0) - (inTitle.has(a) ? 1 : 0) || b - a; });
      }
      state = {
        run: my, query: query, runs: rs, cands: cands, pos: 0, found: 0, dropped: 0, t0: t0,
        titleOnly: titleOnly,
        verify: titleOnly || rs.some(function (r) { return r.kind === 'cjk' && r.len !== 2; })
      };
      return fill(state);
    }).catch(function (e) {
      if (my === run) say('搜索索引读取失败（' + e.message + '），请稍后再试。');
    });
  }

  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  [colSel, yearSel, sortSel, agencySel].forEach(function (el) {
    if (el) el.addEventListener('change', search);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    search();
  });
  more.addEventListener('click', function () {
    if (state) fill(state);
  });
  var params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  colSel.value = params.get('col') || '';
  yearSel.value = params.get('year') || '';
  sortSel.value = params.get('sort') || '';
  if (agencySel) agencySel.value = params.get('agency') || '';
  if (input.value) search();
  else loadMeta(); /* small (the filters' data), so the first search waits on less */
})();
