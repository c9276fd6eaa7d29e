/* Survey web form: skip logic, choice filters, constraints and required answers on the device, answers kept
   in localStorage until sent. Progressive enhancement: without JavaScript the form posts and the server
   checks the same XPath (teilhabe/surveys/xpath.py). No inline code, so it runs under the strict CSP. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* ---- A small evaluator for the XPath subset the server writes (see xpath.py). ---- */
  var EPOCH = Date.UTC(1970, 0, 1);
  function tokenize(src) {
    var tokens = [], i = 0, m;
    var re = /\s*(?:('[^']*'|"[^"]*")|(\d+(?:\.\d+)?|\.\d+)|(!=|<=|>=|[=<>+\-*(),\/])|([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)|(\.))/y;
    while (i < src.length) {
      re.lastIndex = i;
      m = re.exec(src);
      if (!m || m[0] === "") { if (/^\s*$/.test(src.slice(i))) break; throw new Error("syntax"); }
      i = re.lastIndex;
      if (m[1] !== undefined) tokens.push({t: "str", v: m[1].slice(1, -1)});
      else if (m[2] !== undefined) tokens.push({t: "num", v: parseFloat(m[2])});
      else if (m[3] !== undefined) tokens.push({t: "op", v: m[3]});
      else if (m[4] !== undefined) tokens.push({t: "name", v: m[4]});
      else tokens.push({t: "dot", v: "."});
    }
    return tokens;
  }
  function num(v) {
    if (typeof v === "number") return v;
    if (typeof v === "boolean") return v ? 1 : 0;
    var s = String(v).trim();
    return s === "" || isNaN(Number(s)) ? NaN : Number(s);
  }
  function str(v) {
    if (typeof v === "number") return isNaN(v) ? "NaN" : (Number.isInteger(v) ? String(v) : String(v));
    if (typeof v === "boolean") return v ? "true" : "false";
    return v == null ? "" : String(v);
  }
  function bool(v) {
    if (typeof v === "number") return !isNaN(v) && v !== 0;
    if (typeof v === "boolean") return v;
    return str(v).length > 0;
  }
  function days(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(str(s).trim());
    return m ? (Date.UTC(+m[1], +m[2] - 1, +m[3]) - EPOCH) / 86400000 : NaN;
  }
  function compare(op, a, b) {
    if (op === "=" || op === "!=") {
      var eq;
      if (typeof a === "boolean" || typeof b === "boolean") eq = bool(a) === bool(b);
      else if (typeof a === "number" || typeof b === "number") eq = num(a) === num(b);
      else eq = str(a) === str(b);
      return op === "=" ? eq : !eq;
    }
    var x = num(a), y = num(b);
    if (op === "<") return x < y;
    if (op === "<=") return x <= y;
    if (op === ">") return x > y;
    return x >= y;
  }
  var FUNCS = {
    "true": function () { return true; },
    "false": function () { return false; },
    "not": function (a) { return !bool(a); },
    "boolean": function (a) { return bool(a); },
    "number": function (a) { return num(a); },
    "string": function (a) { return str(a); },
    "concat": function () { return Array.prototype.map.call(arguments, str).join(""); },
    "contains": function (a, b) { return str(a).indexOf(str(b)) >= 0; },
    "starts-with": function (a, b) { return str(a).indexOf(str(b)) === 0; },
    "string-length": function (a) { return Array.from(str(a)).length; },
    "normalize-space": function (a) { return str(a).trim().replace(/\s+/g, " "); },
    "round": function (a) { return Math.round(num(a)); },
    "floor": function (a) { return Math.floor(num(a)); },
    "ceiling": function (a) { return Math.ceil(num(a)); },
    "int": function (a) { return Math.trunc(num(a)); },
    "selected": function (a, b) { return str(a).split(/\s+/).indexOf(str(b).trim()) >= 0; },
    "count-selected": function (a) { var s = str(a).trim(); return s ? s.split(/\s+/).length : 0; },
    "selected-at": function (a, i) { return str(a).trim().split(/\s+/)[num(i)] || ""; },
    "regex": function (a, r) { try { return new RegExp(str(r), "u").test(str(a)); } catch (e) { return false; } },
    "today": function () { var d = new Date(); return (Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - EPOCH) / 86400000; },
    "date": function (a) { return days(a); },
    "odk-date": function (a) { return days(a); },
    "if": function (c, a, b) { return bool(c) ? a : b; },
    "coalesce": function (a, b) { return str(a) !== "" ? a : b; }
  };
  function parse(src) {
    var tokens = tokenize(src), pos = 0;
    function peek() { return tokens[pos]; }
    function isOp(v) { var t = peek(); return t && t.t === "op" && t.v === v; }
    function isWord(v) { var t = peek(); return t && t.t === "name" && t.v === v; }
    function binary(next, ops, words) {
      return function () {
        var left = next();
        for (;;) {
          var t = peek();
          if (t && ((t.t === "op" && ops.indexOf(t.v) >= 0) || (t.t === "name" && words.indexOf(t.v) >= 0))) {
            pos++;
            left = (function (l, r, op) { return function (ctx) { return apply(op, l(ctx), r, ctx); }; })(left, next(), t.v);
          } else return left;
        }
      };
    }
    function apply(op, l, r, ctx) {
      if (op === "or") return bool(l) || bool(r(ctx));
      if (op === "and") return bool(l) && bool(r(ctx));
      var rv = r(ctx);
      if (op === "+") return num(l) + num(rv);
      if (op === "-") return num(l) - num(rv);
      if (op === "*") return num(l) * num(rv);
      if (op === "div") return num(l) / num(rv);
      if (op === "mod") return num(l) % num(rv);
      return compare(op, l, rv);
    }
    function primary() {
      var t = tokens[pos++];
      if (!t) throw new Error("end");
      if (t.t === "str" || t.t === "num") return function () { return t.v; };
      if (t.t === "op" && t.v === "-") { var u = primary(); return function (c) { return -num(u(c)); }; }
      if (t.t === "op" && t.v === "(") { var e = or(); if (!isOp(")")) throw new Error(")"); pos++; return e; }
      if (t.t === "dot") return function (c) { return c.current(); };
      if (t.t === "op" && t.v === "/") {
        var path = "";
        for (;;) { var n = tokens[pos++]; path += "/" + n.v; if (isOp("/")) pos++; else break; if (!peek() || peek().t !== "name") break; }
        return function (c) { return c.lookup(path); };
      }
      if (t.t === "name" && isOp("(")) {
        pos++;
        var args = [];
        if (!isOp(")")) { args.push(or()); while (isOp(",")) { pos++; args.push(or()); } }
        if (!isOp(")")) throw new Error(")");
        pos++;
        var fn = FUNCS[t.v];
        if (!fn) throw new Error("function " + t.v);
        if (t.v === "if") return function (c) { return bool(args[0](c)) ? args[1](c) : args[2](c); };
        return function (c) { return fn.apply(null, args.map(function (a) { return a(c); })); };
      }
      if (t.t === "name") return function (c) { return c.child(t.v); };
      throw new Error("token");
    }
    var mul = binary(primary, ["*"], ["div", "mod"]);
    var add = binary(mul, ["+", "-"], []);
    var rel = binary(add, ["<", "<=", ">", ">="], []);
    var eq = binary(rel, ["=", "!="], []);
    var and = binary(eq, [], ["and"]);
    var or = binary(and, [], ["or"]);
    var expr = or();
    if (pos !== tokens.length) throw new Error("rest");
    return expr;
  }
  var cache = {};
  function evaluate(src, ctx) {
    try { return bool((cache[src] = cache[src] || parse(src))(ctx)); } catch (e) { return true; }
  }

  /* ---- The form ---- */
  var form = document.getElementById("survey-form");
  var thanks = document.querySelector("[data-clear-storage]");
  if (thanks) { try { localStorage.removeItem(thanks.getAttribute("data-clear-storage")); } catch (e) { /* private mode */ } }
  if (!form) return;
  var key = form.getAttribute("data-storage-key");
  var questions = Array.prototype.slice.call(form.querySelectorAll(".s-q[data-path]"));
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-relevant]"));

  function inputs(q) { return Array.prototype.slice.call(q.querySelectorAll("input, textarea")); }
  function valueOf(q) {
    var els = inputs(q);
    if (els.length && (els[0].type === "radio" || els[0].type === "checkbox")) {
      return els.filter(function (e) { return e.checked; }).map(function (e) { return e.value; }).join(" ");
    }
    return els.length ? els[0].value.trim() : "";
  }
  function shown(el) {
    for (var n = el; n && n !== form; n = n.parentElement) if (n.hasAttribute && n.hasAttribute("data-irrelevant")) return false;
    return true;
  }
  function values() {
    var v = {};
    questions.forEach(function (q) { v[q.getAttribute("data-path")] = shown(q) ? valueOf(q) : ""; });
    return v;
  }
  function context(v, q, choice) {
    return {
      lookup: function (p) { return v[p] === undefined ? "" : v[p]; },
      current: function () { return q ? v[q.getAttribute("data-path")] : ""; },
      child: function (name) { return choice ? (choice.getAttribute("data-c-" + name.toLowerCase()) || "") : ""; }
    };
  }
  function refresh() {
    for (var round = 0; round < 5; round++) {
      var v = values(), changed = false;
      items.forEach(function (el) {
        var rel = evaluate(el.getAttribute("data-relevant"), context(v, null));
        var was = !el.hasAttribute("data-irrelevant");
        if (rel !== was) { changed = true; if (rel) el.removeAttribute("data-irrelevant"); else el.setAttribute("data-irrelevant", ""); }
      });
      if (!changed) break;
    }
    var vals = values();
    questions.forEach(function (q) {
      var filter = q.getAttribute("data-choice-filter");
      if (!filter) return;
      q.querySelectorAll(".s-choice").forEach(function (c) {
        var ok = evaluate(filter, context(vals, q, c));
        if (ok) c.removeAttribute("data-filtered");
        else { c.setAttribute("data-filtered", ""); var i = c.querySelector("input"); if (i.checked) i.checked = false; }
      });
    });
  }
  function problem(q, v) {
    var type = q.getAttribute("data-type"), value = v[q.getAttribute("data-path")];
    if (value === "") return q.hasAttribute("data-required") ? (q.getAttribute("data-required-msg") || form.getAttribute("data-msg-required")) : "";
    if (type === "integer" && !/^[+-]?\d{1,12}$/.test(value)) return form.getAttribute("data-msg-integer");
    if (type === "decimal" && !/^[+-]?\d{1,12}([.,]\d{1,8})?$/.test(value)) return form.getAttribute("data-msg-decimal");
    if (type === "decimal") v[q.getAttribute("data-path")] = value.replace(",", ".");
    var c = q.getAttribute("data-constraint");
    if (c && !evaluate(c, context(v, q))) return q.getAttribute("data-constraint-msg") || form.getAttribute("data-msg-constraint");
    return "";
  }
  function show(q, message) {
    var box = q.querySelector(".s-error"), control = q.querySelector("[id$='-input']");
    box.textContent = message;
    box.hidden = !message;
    q.classList.toggle("s-q--error", !!message);
    var described = (control.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== box.id; });
    var invalidOk = control.tagName !== "FIELDSET" || control.getAttribute("role") === "radiogroup";
    if (message) { described.push(box.id); if (invalidOk) control.setAttribute("aria-invalid", "true"); } else control.removeAttribute("aria-invalid");
    if (described.length) control.setAttribute("aria-describedby", described.join(" ")); else control.removeAttribute("aria-describedby");
  }
  function save() {
    var data = {};
    questions.forEach(function (q) {
      var els = inputs(q);
      data[q.getAttribute("data-key")] = els.length && (els[0].type === "radio" || els[0].type === "checkbox")
        ? els.filter(function (e) { return e.checked; }).map(function (e) { return e.value; }) : (els[0] ? els[0].value : "");
    });
    if (!key) return;
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or disabled */ }
  }
  function restore() {
    var raw = null;
    if (!key) return;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw || form.querySelector("[aria-invalid=true]")) return;
    var data; try { data = JSON.parse(raw); } catch (e) { return; }
    var any = false;
    questions.forEach(function (q) {
      var v = data[q.getAttribute("data-key")];
      if (v === undefined) return;
      inputs(q).forEach(function (el) {
        if (el.type === "radio" || el.type === "checkbox") { el.checked = [].concat(v).indexOf(el.value) >= 0; if (el.checked) any = true; }
        else { el.value = v; if (v) any = true; }
      });
    });
    if (any) {
      var note = document.getElementById("restored");
      if (note) note.hidden = false;
    }
  }
  var clear = document.getElementById("restore-clear");
  if (clear) clear.addEventListener("click", function () {
    try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    form.reset();
    questions.forEach(function (q) { inputs(q).forEach(function (el) { if (el.type === "radio" || el.type === "checkbox") el.checked = false; else el.value = ""; }); show(q, ""); });
    document.getElementById("restored").hidden = true;
    refresh();
  });

  restore();
  refresh();
  form.addEventListener("change", function (event) {
    refresh();
    save();
    var q = event.target.closest(".s-q[data-path]");
    if (q && q.classList.contains("s-q--error")) show(q, problem(q, values()));
  });
  form.addEventListener("input", save);
  form.addEventListener("focusout", function (event) {
    var q = event.target.closest(".s-q[data-path]");
    if (q && !q.contains(event.relatedTarget) && valueOf(q) !== "") show(q, problem(q, values()));
  });
  form.addEventListener("submit", function (event) {
    refresh();
    var v = values(), bad = [];
    questions.forEach(function (q) {
      if (!shown(q)) { show(q, ""); return; }
      var message = problem(q, v);
      show(q, message);
      if (message) bad.push([q, message]);
    });
    if (!bad.length) return;
    event.preventDefault();
    var summary = document.getElementById("error-summary");
    var list = summary.querySelector("ul");
    list.textContent = "";
    bad.forEach(function (entry) {
      var li = document.createElement("li"), a = document.createElement("a");
      var legend = entry[0].querySelector("legend, label.s-label");
      var label = legend ? legend.childNodes[0].textContent.trim() : "";
      a.href = "#" + entry[0].id + "-input";
      a.textContent = label + ": " + entry[1];
      li.appendChild(a);
      list.appendChild(li);
    });
    summary.querySelector("h2").textContent = bad.length === 1 ? form.getAttribute("data-msg-one") : form.getAttribute("data-msg-many");
    summary.hidden = false;
    summary.focus();
  });
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest(".s-summary a");
    if (!a) return;
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var focusable = target.matches("fieldset") ? target.querySelector("input") : target;
    (focusable || target).focus();
  });
  var summary = document.getElementById("error-summary");
  if (summary && !summary.hidden) summary.focus();
})();
