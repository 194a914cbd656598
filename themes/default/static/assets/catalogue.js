/* gongkai catalogue page: the static table of the 政府信息公开目录 (paginated lists that
   work without JavaScript) becomes filterable by keyword, category, year and 有效性, and
   sortable by each column, over every item of catalogue.json. The filters, the sort and
   the page are kept in the address (?q=&fl=&year=&status=&sort=&order=&page=), so a
   filtered list can be bookmarked and the back button steps back through it. */
(function () {
  'use strict';
  var app = document.getElementById('catalogue-app');
  if (!app || !window.fetch || !window.URLSearchParams || !window.history.replaceState) return;
  var form = document.getElementById('catalogue-filters');
  var table = document.getElementById('catalogue-table');
  var tbody = table.tBodies[0];
  var status = document.getElementById('catalogue-status');
  var pages = document.getElementById('catalogue-pages');
  var size = parseInt(app.getAttribute('data-page-size'), 10) || 20;
  var staticPage = parseInt(app.getAttribute('data-page'), 10) || 1;
  var FIELDS = ['q', 'fl', 'year', 'status'];
  /* The catalogue's first page (catalogue.json sits beside it): the address of every
     filtered list, whichever static page the script started on. */
  var base = app.getAttribute('data-src').replace(/[^/]*$/, '');
  /* Opened from disk (`build --relative`): browsers refuse fetch from file://, so the data
     comes as a script beside catalogue.json, and a folder's address names its index.html. */
  var offline = app.hasAttribute('data-offline');
  var first = base + (offline ? 'index.html' : '');
  var items = [];
  var state = null;

  /* Full-width letters and digits to half-width, capitals to lower case. */
  function fold(s) {
    return String(s || '').replace(/[\uff01-\uff5e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).toLowerCase();
  }

  function readState() {
    var p = new URLSearchParams(window.location.search);
    var s = { sort: p.get('sort') || 'date', order: p.get('order') === 'asc' ? 'asc' : 'desc' };
    FIELDS.forEach(function (k) { s[k] = p.get(k) || ''; });
    var any = FIELDS.some(function (k) { return s[k]; }) || p.has('sort');
    s.page = parseInt(p.get('page'), 10) || (any ? 1 : staticPage);
    return s;
  }

  function writeState(push) {
    var p = new URLSearchParams();
    FIELDS.forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    if (state.sort !== 'date' || state.order !== 'desc') {
      p.set('sort', state.sort);
      p.set('order', state.order);
    }
    if (state.page > 1) p.set('page', String(state.page));
    var q = p.toString();
    q = q ? '?' + q : '';
    var go = function (url) {
      if (push) window.history.pushState(null, '', url); else window.history.replaceState(null, '', url);
    };
    try {
      go(first + q);
    } catch (e) {
      /* From disk, browsers keep the address on its own file: the query goes there. */
      try { go(window.location.pathname + q); } catch (e2) { /* the list still filters */ }
    }
  }

  function matches(it) {
    if (state.fl && it.categories.indexOf(state.fl) < 0) return false;
    if (state.year && String(it.year) !== state.year) return false;
    if (state.status && it.status !== state.status) return false;
    if (state.q) {
      var hay = fold([it.title, it.index_no, it.doc_no, it.publisher].join(' '));
      var words = fold(state.q).split(/\s+/).filter(Boolean);
      for (var i = 0; i < words.length; i++) if (hay.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  function compare(a, b) {
    var x = a[state.sort] || '', y = b[state.sort] || '';
    if (!x !== !y) return x ? -1 : 1; /* empty values last, whatever the order */
    var c = state.sort === 'title' || state.sort === 'publisher'
      ? x.localeCompare(y, 'zh-Hans-CN') : (x < y ? -1 : x > y ? 1 : 0);
    if (state.order === 'desc') c = -c;
    return c || (a.date < b.date ? 1 : a.date > b.date ? -1 : 0);
  }

  function cell(tr, text, cls) {
    var td = document.createElement('td');
    td.textContent = text || '';
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function pageLink(n, label, current) {
    var li = document.createElement('li');
    if (current) {
      var span = document.createElement('span');
      span.setAttribute('aria-current', 'page');
      span.textContent = label;
      li.appendChild(span);
      return li;
    }
    var a = document.createElement('a');
    var p = new URLSearchParams(window.location.search);
    p.set('page', String(n));
    a.href = first + '?' + p.toString();
    a.textContent = label;
    a.addEventListener('click', function (e) {
      e.preventDefault();
      state.page = n;
      writeState(true);
      render();
      table.scrollIntoView();
    });
    li.appendChild(a);
    return li;
  }

  function renderPages(total) {
    pages.textContent = '';
    var count = Math.max(1, Math.ceil(total / size));
    if (count < 2) return;
    var nav = document.createElement('nav');
    nav.className = 'pagination';
    nav.setAttribute('aria-label', '分页');
    var ol = document.createElement('ol');
    var shown = {};
    [1, count].forEach(function (n) { shown[n] = true; });
    for (var n = Math.max(1, state.page - 2); n <= Math.min(count, state.page + 2); n++) shown[n] = true;
    var list = Object.keys(shown).map(Number).sort(function (a, b) { return a - b; });
    if (state.page > 1) ol.appendChild(pageLink(state.page - 1, '上一页', false));
    list.forEach(function (n) { ol.appendChild(pageLink(n, String(n), n === state.page)); });
    if (state.page < count) ol.appendChild(pageLink(state.page + 1, '下一页', false));
    nav.appendChild(ol);
    pages.appendChild(nav);
  }

  function render() {
    var found = items.filter(matches).sort(compare);
    var count = Math.max(1, Math.ceil(found.length / size));
    if (state.page > count) state.page = count;
    tbody.textContent = '';
    found.slice((state.page - 1) * size, state.page * size).forEach(function (it) {
      var tr = document.createElement('tr');
      cell(tr, it.index_no, 'nowrap');
      var td = cell(tr, '');
      var a = document.createElement('a');
      a.href = it.url;
      a.textContent = it.title;
      td.appendChild(a);
      cell(tr, it.doc_no);
      cell(tr, it.publisher);
      cell(tr, it.written, 'nowrap');
      cell(tr, it.date, 'nowrap');
      cell(tr, it.status, 'nowrap');
      tbody.appendChild(tr);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.getAttribute('data-key') === state.sort) {
        th.setAttribute('aria-sort', state.order === 'asc' ? 'ascending' : 'descending');
      } else {
        th.removeAttribute('aria-sort');
      }
    });
    status.textContent = found.length
      ? '共 ' + found.length + ' 条，第 ' + state.page + '/' + count + ' 页'
      : '没有符合条件的信息';
    renderPages(found.length);
  }

  function showState() {
    FIELDS.forEach(function (k) {
      var el = form.elements[k];
      if (el) el.value = state[k];
    });
  }

  function enhance() {
    form.hidden = false;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute('data-key');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      b.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(b);
      b.addEventListener('click', function () {
        state.order = state.sort === key && state.order === 'asc' ? 'desc' : 'asc';
        if (state.sort !== key && key === 'date') state.order = 'desc';
        state.sort = key;
        state.page = 1;
        writeState(true);
        render();
      });
    });
    var changed = function () {
      FIELDS.forEach(function (k) {
        var el = form.elements[k];
        if (el) state[k] = el.value.trim();
      });
      state.page = 1;
      writeState(false);
      render();
    };
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
    form.addEventListener('submit', function (e) { e.preventDefault(); changed(); });
    form.addEventListener('reset', function () { window.setTimeout(changed, 0); });
    window.addEventListener('popstate', function () {
      state = readState();
      showState();
      render();
    });
  }

  function load() {
    var src = app.getAttribute('data-src');
    if (!offline) {
      return fetch(src).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
    }
    return new Promise(function (resolve, reject) {
      window.gongkaiCatalogueData = resolve;
      var s = document.createElement('script');
      s.src = src.replace(/\.json$/, '.js');
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  load()
    .then(function (data) {
      items = data.items;
      state = readState();
      enhance();
      showState();
      render();
      document.documentElement.setAttribute('data-catalogue', 'ready');
    })
    .catch(function () { /* the static list stays as it is */ });
})();
