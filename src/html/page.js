(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('quoteval-data').textContent);
  var CLASS_NAMES = {
    correct: 'correct', type: 'wrong type', boundary: 'wrong boundary',
    speaker: 'wrong speaker', missed: 'missed', spurious: 'spurious'
  };
  var ORDER = ['missed', 'spurious', 'type', 'boundary', 'speaker', 'correct'];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function slice(text, spans) {
    return spans.map(function (s) { return text.slice(s[0], s[1]); }).join(' … ');
  }

  // Every span to draw: mentions (gold / predicted), quotes (gold / predicted), cues, speaker
  // mentions, and the changed items of a comparison.
  function marksOf(items, changes) {
    var marks = [];
    function add(spans, i, role) {
      (spans || []).forEach(function (s) {
        if (s[1] > s[0]) { marks.push({ a: s[0], b: s[1], i: i, role: role }); }
      });
    }
    items.forEach(function (it, i) {
      if (it.l === 'mentions') {
        if (it.g) { add(it.g.s, i, 'mg'); }
        if (it.p) { add(it.p.s, i, 'mp'); }
      } else if (it.l === 'quotes') {
        if (it.g) { add(it.g.s, i, 'qg'); add(it.g.cu, i, 'cue'); add(it.g.ss, i, 'spk'); }
        if (it.p) { add(it.p.s, i, 'qp'); add(it.p.cu, i, 'cue'); add(it.p.ss, i, 'spk'); }
      }
    });
    (changes || []).forEach(function (c, j) {
      if (c.s && c.s[1] > c.s[0]) { marks.push({ a: c.s[0], b: c.s[1], i: -1 - j, role: 'chg' }); }
    });
    return marks;
  }

  function extent(it) {
    var lo = Infinity, hi = -Infinity;
    [it.g, it.p].forEach(function (side) {
      if (!side) { return; }
      side.s.forEach(function (s) { lo = Math.min(lo, s[0]); hi = Math.max(hi, s[1]); });
    });
    return lo <= hi ? [lo, hi] : null;
  }

  function mentionTag(it) {
    var g = it.g ? it.g.t : null, p = it.p ? it.p.t : null;
    if (it.c === 'missed') { return g + ' missed'; }
    if (it.c === 'spurious') { return '+' + p; }
    if (g && p && g !== p) { return g + '→' + p; }
    return g || p;
  }

  function quoteTag(it) {
    var side = it.g || it.p;
    var s = '“ ' + side.t;
    var gs = it.g && it.g.sp, ps = it.p && it.p.sp;
    if (it.g && it.p) {
      if (it.g.t !== it.p.t) { s = '“ ' + it.g.t + '→' + it.p.t; }
      if (gs || ps) { s += ' · ' + (gs || '–') + (gs !== ps ? ' → ' + (ps || '–') : ''); }
    } else if (gs || ps) {
      s += ' · ' + (gs || ps);
    }
    if (it.c === 'missed') { s += ' (missed)'; }
    if (it.c === 'spurious') { s += ' (spurious)'; }
    return s;
  }

  function renderText(box, art, items, changes) {
    var text = art.text;
    var marks = marksOf(items, changes);
    var cuts = [0, text.length];
    marks.forEach(function (m) { cuts.push(m.a, m.b); });
    var ends = {}, starts = {};
    items.forEach(function (it, i) {
      var x = extent(it);
      if (!x) { return; }
      if (it.l === 'mentions') {
        (ends[x[1]] = ends[x[1]] || []).push(i);
        cuts.push(x[1]);
      } else if (it.l === 'quotes') {
        (starts[x[0]] = starts[x[0]] || []).push(i);
        cuts.push(x[0]);
      }
    });
    cuts = cuts.filter(function (c) { return c >= 0 && c <= text.length; });
    cuts.sort(function (a, b) { return a - b; });
    cuts = cuts.filter(function (c, k) { return k === 0 || c !== cuts[k - 1]; });
    marks.sort(function (x, y) { return x.a - y.a; });
    var frag = document.createDocumentFragment();
    var active = [], next = 0;
    function tagsAt(pos) {
      (ends[pos] || []).forEach(function (i) {
        var t = el('sup', 'tag t-' + items[i].c, mentionTag(items[i]));
        t.qvItems = [i];
        frag.appendChild(t);
      });
      (starts[pos] || []).forEach(function (i) {
        var t = el('span', 'qtag t-' + items[i].c, quoteTag(items[i]));
        t.qvItems = [i];
        frag.appendChild(t);
      });
    }
    for (var k = 0; k + 1 < cuts.length; k++) {
      var a = cuts[k], b = cuts[k + 1];
      tagsAt(a);
      while (next < marks.length && marks[next].a <= a) { active.push(marks[next]); next++; }
      active = active.filter(function (m) { return m.b > a; });
      var piece = text.slice(a, b);
      if (!active.length) { frag.appendChild(document.createTextNode(piece)); continue; }
      var cls = [], seen = [], mention = null, qg = null, qp = null, chg = null;
      var mg = false, mp = false, cue = false, spk = false;
      active.forEach(function (m) {
        if (m.i >= 0 && seen.indexOf(m.i) < 0) { seen.push(m.i); }
        if (m.role === 'mg') { mg = true; if (mention === null || !mention.g) { mention = { i: m.i, g: true }; } }
        if (m.role === 'mp') { mp = true; if (mention === null) { mention = { i: m.i, g: false }; } }
        if (m.role === 'qg' && qg === null) { qg = m.i; }
        if (m.role === 'qp' && qp === null) { qp = m.i; }
        if (m.role === 'cue') { cue = true; }
        if (m.role === 'spk') { spk = true; }
        if (m.role === 'chg') { chg = changes[-1 - m.i]; }
      });
      if (mention !== null) {
        cls.push('mk', 'm-' + items[mention.i].c);
        if (mg) { cls.push('mg'); }
        if (mp) { cls.push('mp'); }
      }
      if (qg !== null || qp !== null) {
        cls.push('seg');
        if (qg !== null) { cls.push('qg', 'qg-' + items[qg].c); }
        if (qp !== null) { cls.push('qp', 'qp-' + items[qp].c); }
      }
      if (cue) { cls.push('cue'); }
      if (spk) { cls.push('spk'); }
      if (chg) { cls.push('chg', 'chg-' + chg.dir); }
      var span = el('span', cls.join(' '), piece);
      // Innermost first: a mention inside a quote describes the mention before the quote.
      seen.sort(function (x, y) {
        return (items[x].l === 'mentions' ? 0 : 1) - (items[y].l === 'mentions' ? 0 : 1);
      });
      span.qvItems = seen;
      if (chg) { span.qvChange = chg; }
      frag.appendChild(span);
    }
    tagsAt(text.length);
    box.textContent = '';
    box.appendChild(frag);
  }

  function sideRows(dl, name, side, text, fallbackText) {
    if (!side && !fallbackText) { return; }
    var what = side ? slice(text, side.s) : fallbackText;
    dl.appendChild(el('dt', null, name));
    var dd = el('dd');
    dd.appendChild(el('q', null, what));
    if (side) { dd.appendChild(document.createTextNode(' ' + side.t)); }
    dl.appendChild(dd);
    if (side && side.sp) { dl.appendChild(el('dt', null, '  speaker')); dl.appendChild(el('dd', null, side.sp)); }
    if (side && side.ss && side.ss.length) { dl.appendChild(el('dt', null, '  mention')); dl.appendChild(el('dd', null, slice(text, side.ss))); }
    if (side && side.cu && side.cu.length) { dl.appendChild(el('dt', null, '  cue')); dl.appendChild(el('dd', null, slice(text, side.cu))); }
  }

  function showItems(panel, art, items, indices, change) {
    panel.textContent = '';
    if (change) {
      var c = el('div', 'pi');
      c.appendChild(el('h4', 't-' + (change.dir === 'improved' ? 'correct' : change.dir === 'regressed' ? 'missed' : 'type'),
        change.dir + ': ' + change.what));
      var dl = el('dl');
      if (change.gt) { dl.appendChild(el('dt', null, 'gold')); dl.appendChild(el('dd', null, change.gt)); }
      dl.appendChild(el('dt', null, 'base'));
      dl.appendChild(el('dd', null, change.bp || '–'));
      dl.appendChild(el('dt', null, 'candidate'));
      dl.appendChild(el('dd', null, change.cp || '–'));
      c.appendChild(dl);
      panel.appendChild(c);
    }
    indices.forEach(function (i) {
      var it = items[i];
      var box = el('div', 'pi');
      box.appendChild(el('h4', 't-' + it.c, it.l.replace(/s$/, '') + ' · ' + it.k));
      var dl = el('dl');
      sideRows(dl, 'gold', it.g, art.text, it.gt);
      sideRows(dl, 'predicted', it.p, art.text, it.pt);
      if (it.d) { dl.appendChild(el('dt', null, 'detail')); dl.appendChild(el('dd', null, it.d)); }
      box.appendChild(dl);
      panel.appendChild(box);
    });
    if (!indices.length && !change) {
      panel.appendChild(el('p', 'hint', 'Hover or click a mark to see the gold and the predicted item.'));
    }
  }

  function setsList(art, items) {
    var sets = items.map(function (it, i) { return i; })
      .filter(function (i) { return items[i].l === 'speakers' || items[i].l === 'places'; });
    if (!sets.length) { return null; }
    var div = el('div', 'sets');
    ['speakers', 'places'].forEach(function (layer) {
      var mine = sets.filter(function (i) { return items[i].l === layer; });
      if (!mine.length) { return; }
      var p = el('p');
      p.appendChild(el('b', null, layer + ': '));
      mine.forEach(function (i) {
        var it = items[i];
        var name = it.gt && it.pt && it.gt !== it.pt ? it.gt + ' = ' + it.pt : (it.gt || it.pt);
        var chip = el('span', 'sw m-' + it.c, name + (it.c === 'correct' ? '' : ' (' + it.k + ')'));
        chip.qvItems = [i];
        p.appendChild(chip);
      });
      div.appendChild(p);
    });
    return div;
  }

  function changesList(art) {
    if (!art.changes || !art.changes.length) { return null; }
    var div = el('div', 'changes');
    div.appendChild(el('b', null, 'Changed items'));
    var ul = el('ul');
    art.changes.forEach(function (c) {
      var li = el('li', c.dir, c.dir + ' · ' + c.l.replace(/s$/, '') + ' ' + c.lb + ' · ' + c.what +
        (c.gt ? ' · gold “' + c.gt + '”' : '') +
        ' · base ' + (c.bp ? '“' + c.bp + '”' : '–') + ' · candidate ' + (c.cp ? '“' + c.cp + '”' : '–'));
      li.qvChange = c;
      ul.appendChild(li);
    });
    div.appendChild(ul);
    return div;
  }

  function unpack(items) {
    (items || []).forEach(function (it) { if (it.sm) { it.p = it.g; } });
  }

  function renderArticle(details) {
    if (details.dataset.rendered === '1') { return; }
    var art = data.articles[Number(details.dataset.index)];
    unpack(art.items);
    unpack(art.base_items);
    var body = el('div', 'abody');
    var left = el('div');
    var textBox = el('div', 'text');
    var panel = el('aside', 'panel');
    var current = { items: art.items };
    if (art.base_items) {
      var view = el('div', 'view');
      view.appendChild(document.createTextNode('Items of: '));
      ['candidate', 'base'].forEach(function (which) {
        var label = el('label');
        var radio = el('input');
        radio.type = 'radio';
        radio.name = 'view-' + art.anchor;
        radio.value = which;
        radio.checked = which === 'candidate';
        radio.addEventListener('change', function () {
          current.items = which === 'base' ? art.base_items : art.items;
          renderText(textBox, art, current.items, art.changes);
          showItems(panel, art, current.items, [], null);
        });
        label.appendChild(radio);
        label.appendChild(document.createTextNode(' ' + which + ' '));
        view.appendChild(label);
      });
      left.appendChild(view);
    }
    left.appendChild(textBox);
    renderText(textBox, art, current.items, art.changes);
    var sets = setsList(art, art.items);
    if (sets) { left.appendChild(sets); }
    var changes = changesList(art);
    if (changes) { left.appendChild(changes); }
    body.appendChild(left);
    body.appendChild(panel);
    var selected = null;
    function pick(e) {
      var node = e.target;
      while (node && node !== body && !node.qvItems && !node.qvChange) { node = node.parentNode; }
      if (!node || node === body) { return; }
      if (selected) { selected.classList.remove('sel'); }
      selected = node;
      node.classList.add('sel');
      showItems(panel, art, current.items, node.qvItems || [], node.qvChange || null);
    }
    body.addEventListener('mouseover', pick);
    body.addEventListener('click', pick);
    var firstError = -1;
    current.items.forEach(function (it, i) { if (firstError < 0 && it.c !== 'correct' && extent(it)) { firstError = i; } });
    showItems(panel, art, current.items, firstError >= 0 ? [firstError] : [], art.changes && art.changes.length ? art.changes[0] : null);
    details.appendChild(body);
    details.dataset.rendered = '1';
  }

  function summaryOf(art, i) {
    var d = el('details', 'article');
    d.id = art.anchor;
    d.dataset.index = String(i);
    var s = el('summary');
    s.appendChild(el('span', 'id', art.id));
    if (data.kind === 'compare') {
      s.appendChild(el('span', 'count chg-regressed chip', art.regressed + ' regressed'));
      s.appendChild(el('span', 'count chg-improved chip', art.improved + ' improved'));
      s.appendChild(el('span', 'count', art.lost + ' changed in all'));
    } else {
      s.appendChild(el('span', 'count', art.lost + ' errors'));
    }
    ORDER.forEach(function (c) {
      if (art.classes[c]) { s.appendChild(el('span', 'count sw m-' + c, art.classes[c] + ' ' + CLASS_NAMES[c])); }
    });
    d.appendChild(s);
    d.addEventListener('toggle', function () { if (d.open) { renderArticle(d); } });
    return d;
  }

  function worstTable() {
    var top = data.articles.slice(0, 10);
    if (!top.length) { return null; }
    var t = el('table');
    t.appendChild(el('caption', null, data.kind === 'compare' ? 'Most regressions' : 'Most errors'));
    var head = el('tr');
    ['article', data.kind === 'compare' ? 'regressed / changed' : 'errors'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    t.appendChild(head);
    top.forEach(function (art) {
      var tr = el('tr');
      var td = el('td');
      var a = el('a', null, art.id);
      a.href = '#' + art.anchor;
      td.appendChild(a);
      tr.appendChild(td);
      tr.appendChild(el('td', null, data.kind === 'compare' ? art.regressed + ' / ' + art.lost : String(art.lost)));
      t.appendChild(tr);
    });
    return t;
  }

  var list = document.getElementById('article-list');
  var frag = document.createDocumentFragment();
  data.articles.forEach(function (art, i) { frag.appendChild(summaryOf(art, i)); });
  list.appendChild(frag);
  var worst = worstTable();
  if (worst) { document.getElementById('worst').appendChild(worst); }

  function openFromHash() {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (hash === 'selftest') {
      // The browser test: render every article, as a reader opening each would.
      Array.prototype.forEach.call(document.querySelectorAll('details.article'), function (d) {
        d.open = true;
        renderArticle(d);
      });
      document.body.dataset.selftest = 'done';
      return;
    }
    // #only-a-ID shows that article alone (a link to one article, or a screenshot of it).
    var only = hash.indexOf('only-') === 0;
    if (only) { hash = hash.slice(5); }
    if (hash.indexOf('a-') !== 0) { return; }
    var d = document.getElementById(hash);
    if (!d || d.tagName !== 'DETAILS') { return; }
    d.open = true;
    renderArticle(d);
    if (only) {
      document.body.classList.add('only');
      d.classList.add('focused');
    } else {
      d.scrollIntoView();
    }
  }
  window.addEventListener('hashchange', openFromHash);
  openFromHash();
  // Milliseconds from navigation until the page was ready: the size check of README reads it.
  document.body.dataset.readyMs = String(Math.round(performance.now()));
})();
