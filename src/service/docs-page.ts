/**
 * The interactive API docs at /docs, served offline: one small HTML page and
 * one script (no CDN, no framework) that fetch /openapi.json and render every
 * operation with its parameters, body schema and responses, plus a "try it"
 * form that sends the request with the key typed into the page (kept in
 * sessionStorage only). Everything is built with DOM calls and textContent,
 * so nothing in the document is ever interpreted as HTML.
 */

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kindred API</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f7f7f9; }
  header { background: #1d2330; color: #fff; padding: 14px 24px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0; flex: 1; }
  header input { width: 28em; max-width: 70vw; padding: 5px 8px; border-radius: 4px; border: 0; font: inherit; }
  main { max-width: 1050px; margin: 0 auto; padding: 12px 24px 48px; }
  h2 { margin: 28px 0 8px; text-transform: capitalize; font-size: 17px; }
  details { background: #fff; border: 1px solid #dde0e6; border-radius: 6px; margin: 6px 0; }
  summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 10px; align-items: baseline; }
  .method { font: 600 12px ui-monospace, monospace; text-transform: uppercase; width: 4.5em; text-align: center; padding: 2px 0; border-radius: 3px; color: #fff; }
  .get { background: #2f7d4f; } .post { background: #2457a6; } .put { background: #8a5a00; } .delete { background: #a3242c; }
  .path { font-family: ui-monospace, monospace; } .summary { color: #555; }
  .body { padding: 4px 14px 14px; border-top: 1px solid #eceef2; }
  table { border-collapse: collapse; margin: 6px 0; } td, th { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }
  pre { background: #f1f2f5; padding: 8px; border-radius: 4px; overflow: auto; max-height: 24em; font-size: 13px; }
  textarea { width: 100%; min-height: 7em; font: 13px ui-monospace, monospace; }
  button { font: inherit; padding: 4px 14px; margin-top: 6px; cursor: pointer; }
  .param input { width: 18em; font: inherit; }
  .status { font-weight: 600; }
</style>
</head>
<body>
<header>
  <h1 id="title">Kindred API</h1>
  <label>Key or customer token <input id="key" type="password" placeholder="kdr_… or kct.…" autocomplete="off"></label>
  <a href="./openapi.json" style="color:#9cc3ff">openapi.json</a>
</header>
<main id="main"><p>Loading the API description…</p></main>
<script src="./docs/app.js"></script>
</body>
</html>
`;

export const DOCS_SCRIPT = `"use strict";
(function () {
  var keyInput = document.getElementById("key");
  keyInput.value = sessionStorage.getItem("kindred-key") || "";
  keyInput.addEventListener("input", function () { sessionStorage.setItem("kindred-key", keyInput.value); });

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function resolve(doc, schema, depth) {
    if (!schema || depth > 8) return schema;
    if (schema.$ref) {
      var name = schema.$ref.split("/").pop();
      return resolve(doc, (doc.components && doc.components.schemas || {})[name], depth + 1);
    }
    var out = Array.isArray(schema) ? [] : {};
    Object.keys(schema).forEach(function (k) {
      var v = schema[k];
      out[k] = v && typeof v === "object" ? resolve(doc, v, depth + 1) : v;
    });
    return out;
  }

  function example(schema, depth) {
    if (!schema || depth > 6) return null;
    if (schema.example !== undefined) return schema.example;
    if (schema.default !== undefined) return schema.default;
    if (schema.anyOf || schema.oneOf) return example((schema.anyOf || schema.oneOf)[0], depth + 1);
    if (schema.enum) return schema.enum[0];
    switch (schema.type) {
      case "object":
        var o = {};
        (schema.required || Object.keys(schema.properties || {})).forEach(function (k) {
          if (schema.properties && schema.properties[k]) o[k] = example(schema.properties[k], depth + 1);
        });
        return o;
      case "array": return [example(schema.items, depth + 1)];
      case "integer": case "number": return 1;
      case "boolean": return true;
      default: return "string";
    }
  }

  function operation(doc, path, method, op) {
    var resolved = resolve(doc, op, 0);
    var params = resolved.parameters || [];
    var inputs = {};
    var rows = params.map(function (p) {
      var input = el("input", { placeholder: (p.schema && p.schema.example !== undefined) ? String(p.schema.example) : "" });
      inputs[p.name] = { input: input, where: p.in };
      return el("tr", { class: "param" }, [
        el("td", {}, [el("code", { text: p.name })]),
        el("td", { text: p.in + (p.required ? ", required" : "") }),
        el("td", {}, [input]),
        el("td", { text: p.description || "" }),
      ]);
    });
    var bodySchema = resolved.requestBody && resolved.requestBody.content &&
      resolved.requestBody.content["application/json"] && resolved.requestBody.content["application/json"].schema;
    var textarea = bodySchema ? el("textarea", {}) : null;
    if (textarea) textarea.value = JSON.stringify(example(bodySchema, 0), null, 2);
    var result = el("pre", { text: "" });
    var status = el("div", { class: "status" });
    var send = el("button", { text: "Send" });
    send.addEventListener("click", function () {
      var url = path, query = [];
      Object.keys(inputs).forEach(function (name) {
        var v = inputs[name].input.value;
        if (inputs[name].where === "path") url = url.replace("{" + name + "}", encodeURIComponent(v));
        else if (inputs[name].where === "query" && v !== "") query.push(encodeURIComponent(name) + "=" + encodeURIComponent(v));
      });
      var headers = {};
      if (keyInput.value) headers.Authorization = "Bearer " + keyInput.value;
      var init = { method: method.toUpperCase(), headers: headers };
      if (textarea && textarea.value.trim()) { headers["Content-Type"] = "application/json"; init.body = textarea.value; }
      status.textContent = "…";
      fetch(url.replace(/^\\//, "./") + (query.length ? "?" + query.join("&") : ""), init).then(function (r) {
        status.textContent = r.status + " " + r.statusText;
        return r.text();
      }).then(function (text) {
        try { result.textContent = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { result.textContent = text; }
      }).catch(function (e) { status.textContent = "failed: " + e.message; });
    });
    var responses = Object.keys(resolved.responses || {}).map(function (code) {
      return el("tr", {}, [el("td", {}, [el("code", { text: code })]), el("td", { text: resolved.responses[code].description || "" })]);
    });
    var ok = resolved.responses && (resolved.responses["200"] || resolved.responses["201"] || resolved.responses["202"]);
    var okSchema = ok && ok.content && ok.content["application/json"] && ok.content["application/json"].schema;
    return el("details", {}, [
      el("summary", {}, [
        el("span", { class: "method " + method, text: method }),
        el("span", { class: "path", text: path }),
        el("span", { class: "summary", text: op.summary || "" }),
      ]),
      el("div", { class: "body" }, [
        op.description ? el("p", { text: op.description }) : null,
        op.security && op.security.length ? el("p", { text: "Needs a key or customer token (Authorization: Bearer …)." }) : el("p", { text: "Public." }),
        rows.length ? el("table", {}, [el("tr", {}, [el("th", { text: "parameter" }), el("th", { text: "in" }), el("th", { text: "value" }), el("th", {})])].concat(rows)) : null,
        bodySchema ? el("h4", { text: "Request body" }) : null,
        textarea,
        bodySchema ? el("details", {}, [el("summary", { text: "schema" }), el("pre", { text: JSON.stringify(bodySchema, null, 2) })]) : null,
        el("h4", { text: "Responses" }),
        el("table", {}, responses),
        okSchema ? el("details", {}, [el("summary", { text: "response schema" }), el("pre", { text: JSON.stringify(okSchema, null, 2) })]) : null,
        send, status, result,
      ]),
    ]);
  }

  fetch("./openapi.json").then(function (r) { return r.json(); }).then(function (doc) {
    document.getElementById("title").textContent = doc.info.title + " " + doc.info.version;
    var main = document.getElementById("main");
    main.textContent = "";
    if (doc.info.description) main.appendChild(el("p", { text: doc.info.description }));
    var groups = {};
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method];
        var tag = (op.tags && op.tags[0]) || "other";
        (groups[tag] = groups[tag] || []).push(operation(doc, path, method, op));
      });
    });
    Object.keys(groups).forEach(function (tag) {
      main.appendChild(el("h2", { text: tag }));
      groups[tag].forEach(function (node) { main.appendChild(node); });
    });
  }).catch(function (e) {
    document.getElementById("main").textContent = "Could not load openapi.json: " + e.message;
  });
})();
`;
