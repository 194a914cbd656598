/* gongkai: tables with class "sortable" sort by a column when its header is clicked
   (or activated with the keyboard). Numbers sort by the cell's data-value, text in
   Chinese collation order; cells without a value go last. Without JavaScript the table
   stays as built. */
(function () {
  'use strict';
  var collator = window.Intl && Intl.Collator ? new Intl.Collator('zh-CN') : null;

  function key(cell, numeric) {
    if (!cell) return null;
    if (numeric) {
      var v = cell.getAttribute('data-value');
      return v === null || v === '' ? null : parseFloat(v);
    }
    return cell.textContent.trim();
  }

  function compare(a, b, numeric) {
    if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
    if (numeric) return a - b;
    return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
  }

  function sortBy(table, th, index) {
    var numeric = th.getAttribute('data-sort') === 'num';
    var descending = th.getAttribute('aria-sort') === 'ascending';
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');
    th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, order) {
      return { row: row, order: order, key: key(row.cells[index], numeric) };
    });
    rows.sort(function (a, b) {
      var c = compare(a.key, b.key, numeric);
      if (a.key !== null && b.key !== null && descending) c = -c;
      return c || a.order - b.order;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies.length) return;
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      if (!th.hasAttribute('data-sort')) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort-button';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () { sortBy(table, th, index); });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), enhance);
})();
