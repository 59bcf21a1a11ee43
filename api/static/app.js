// The web page: chat (streamed answers, citation chips), compare, draft (a clause, a topic or a
// whole resolution), upload. No build step.
"use strict";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function showAlert(message) {
  const box = $("alert");
  box.textContent = message || "";
  box.hidden = !message;
}

// fetch, with a lost connection said plainly (the browser's own words are "Failed to fetch")
const UNREACHABLE = "The server cannot be reached: check the connection, or whether the server is running.";

class Unreachable extends Error {
  constructor() { super(UNREACHABLE); this.name = "Unreachable"; }
}

async function reach(path, options) {
  try { return await fetch(path, options); }
  catch (error) {
    if (error.name === "AbortError") throw error;
    throw new Unreachable();
  }
}

async function api(path, options = {}) {
  const response = await reach(path, options);
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    if (type.includes("json")) message = (await response.json()).error?.message || message;
    throw new Error(message);
  }
  if (type.includes("json")) return response.json();
  return response.blob();
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- tabs -------------------------------------------------------------------------------
const tabs = () => [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab) {
  for (const other of tabs()) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute("aria-controls")).hidden = !selected;
  }
  showAlert("");
  tab.focus();
}

function setUpTabs() {
  for (const tab of tabs()) {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (event) => {
      const list = tabs();
      const index = list.indexOf(tab);
      const moves = { ArrowRight: 1, ArrowLeft: -1 };
      if (event.key in moves) {
        event.preventDefault();
        selectTab(list[(index + moves[event.key] + list.length) % list.length]);
      } else if (event.key === "Home") { event.preventDefault(); selectTab(list[0]); }
      else if (event.key === "End") { event.preventDefault(); selectTab(list[list.length - 1]); }
    });
  }
}

// ---- citations and the clause panel -------------------------------------------------------
function chip(citation, related = false) {
  return el("button", {
    type: "button", class: related ? "chip related" : "chip", "data-id": citation.id,
    title: citation.text ? citation.text.slice(0, 300) : citation.id,
    onclick: () => openClause(citation.id),
  }, citation.citation || citation.id);
}

function chips(label, citations, related = false) {
  if (!citations || !citations.length) return null;
  return el("div", { class: "chips" }, el("span", { class: "label", text: label }),
    citations.map((c) => chip(c, related)));
}

async function openClause(id) {
  const panel = $("clause-panel");
  const body = $("clause-body");
  panel.hidden = false;
  body.replaceChildren(el("p", { class: "muted", text: "Loading…" }));
  try {
    const clause = await api(`/clauses/${id.split("/").map(encodeURIComponent).join("/")}?context=true`);
    const context = clause.context || {};
    $("clause-title").textContent = clause.citation;
    const neighbour = (what, c) => c && el("button", {
      type: "button", class: "chip related neighbour", onclick: () => openClause(c.id),
    }, `${what}: ${c.citation}`);
    body.replaceChildren(
      el("dl", {},
        el("dt", { text: "Resolution" }),
        el("dd", { text: context.document ? `${context.document.name} — ${context.document.title || ""}` : clause.document }),
        el("dt", { text: "Section" }),
        el("dd", { text: `${clause.section || "(start)"}${context.section ? ` (${context.section.kind})` : ""}` }),
        el("dt", { text: "Clause" })),
      el("div", { class: "clause-text", text: clause.text }),
      el("div", {}, neighbour("Previous", context.previous), neighbour("Next", context.next)),
    );
    $("clause-close").focus();
  } catch (error) {
    body.replaceChildren(el("p", { class: "alert", text: error.message }));
  }
}

// ---- chat -----------------------------------------------------------------------------------
// The conversation id is kept in localStorage, so a reload (or a new tab) shows the earlier turns
// and the server goes on using them; only "New conversation" drops it.
const CONVERSATION_KEY = "resolutions.conversation";
let conversationId = localStorage.getItem(CONVERSATION_KEY) || null;

function keepConversation(id) {
  conversationId = id;
  if (id) localStorage.setItem(CONVERSATION_KEY, id); else localStorage.removeItem(CONVERSATION_KEY);
}

async function ensureConversation() {
  if (conversationId) return conversationId;
  try {
    keepConversation((await api("/conversations", { method: "POST" })).id);
  } catch (error) {
    if (error instanceof Unreachable) throw error;
    keepConversation(null);  // chat still works, without follow-ups
  }
  return conversationId;
}

// the earlier turns of the kept conversation, shown again after a reload
async function restoreConversation() {
  if (!conversationId) return;
  let turns;
  try {
    turns = (await api(`/conversations/${encodeURIComponent(conversationId)}`)).turns || [];
  } catch (error) {
    if (!(error instanceof Unreachable)) keepConversation(null);  // gone or invalid: start afresh
    return;
  }
  if (!turns.length) return;
  const log = $("messages");
  log.querySelector(".hint")?.remove();
  log.prepend(el("p", { class: "hint earlier", text: `Earlier in this conversation (${turns.length} ${turns.length === 1 ? "question" : "questions"}); “New conversation” starts afresh.` }));
  for (const turn of turns) {
    log.append(el("div", { class: "message user", text: turn.question }));
    const box = el("div", { class: "message assistant", "data-stage": "restored" });
    if (turn.answer && typeof turn.answer.answer === "string") renderReply(box, turn.answer);
    else box.append(el("div", { class: "text muted", text: "(The answer was not kept.)" }));
    log.append(box);
  }
  log.scrollTop = log.scrollHeight;
}

function renderReply(box, reply) {
  box.classList.toggle("not-found", reply.status === "not_found");
  box.classList.toggle("partial", reply.status === "partial");
  const parts = [];
  if (reply.status === "not_found") parts.push(el("span", { class: "badge", text: "Not found" }));
  if (reply.status === "partial") {
    parts.push(el("span", { class: "badge partial", text: "Partial answer",
      title: "The closest provisions address the subject but not the detail asked" }));
  }
  const answer = reply.answer || "";
  // a revision: its summary line, then the revised and added clauses as the Draft tab shows them
  parts.push(el("div", { class: "text", text: reply.revision ? answer.split("\n")[0] : answer }));
  if (reply.draft) parts.push(renderDraft(reply.draft, false));
  if (reply.revision) parts.push(chatRevision(reply.revision, answer));
  const word = reply.docx && reply.docx.api;
  if (word) {
    const method = word.method || "POST";
    const options = method === "GET" ? { headers: { Accept: DOCX } }
      : { method, body: JSON.stringify(word.json), headers: { "Content-Type": "application/json", Accept: DOCX } };
    parts.push(el("button", { type: "button", class: "chip docx", onclick: async () => {
      try {
        saveBlob(await api(word.path, options), reply.revision ? `revision-${reply.revision.document}.docx` : "draft.docx");
      } catch (error) { showAlert(error.message); }
    } }, "Download the redline (.docx)"));
  }
  const cited = reply.status === "partial" ? "Closest provisions:" : "Cited:";
  if (!reply.revision) parts.push(chips(cited, reply.citations));  // a revision: per clause
  parts.push(crossReferences(reply.links));
  parts.push(chips(reply.status === "answered" ? "Related:" : "Related clauses:", reply.related, true));
  box.replaceChildren(...parts.filter(Boolean));
}

// A revision in a chat reply: the changed clauses only (renderRevision needs the base's text).
function chatRevision(revision, answer) {
  const holder = el("div", { class: "chat-revision" }, el("div", { class: "text", text: answer.split("\n").slice(1).join("\n") }));
  api(`/documents/${encodeURIComponent(revision.document)}`)
    .then((structure) => holder.replaceChildren(renderRevision(revision, structure, true)))
    .catch(() => {});  // the answer's text stays
  return holder;
}

function crossReferences(links) {
  const usable = (links || []).filter((link) => link.clause_ids && link.clause_ids.length);
  if (!usable.length) return null;
  return el("div", { class: "chips" }, el("span", { class: "label", text: "Cross-references:" }),
    usable.map((link) => el("button", {
      type: "button", class: "chip related", onclick: () => openClause(link.clause_ids[0]),
      title: link.newer ? `The corpus holds a newer version: ${link.newer}` : link.cited || link.text,
    }, link.newer ? `${link.text} (newer version exists)` : link.text)));
}

async function* sseEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) name = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      yield [name, JSON.parse(data)];
    }
  }
}

// What the page shows while it waits, by what the server has said so far (its SSE events).
const STAGES = {
  question: "Searching the resolutions…",
  lookup: "Looking up the clause…",
  summary: "Reading the resolution…",
  compare: "Finding what to compare…",
  draft: "Drafting the wording…",
  revise: "Revising the whole resolution (this takes a while)…",
};
const RETRY_SECONDS = [2, 4, 8, 15, 30];  // after a lost connection; then the page gives up

function progress(box, stage, message) {
  box.dataset.stage = stage;
  let status = box.querySelector(".progress");
  if (!message) { status?.remove(); return; }
  if (!status) {
    status = el("p", { class: "progress", role: "status" });
    box.prepend(status);
  }
  status.textContent = message;
}

async function countdown(box, seconds) {
  box.classList.add("offline");
  for (let left = seconds; left > 0; left--) {
    progress(box, "retrying", `The server cannot be reached. Retrying in ${left} s…`);
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
  }
  box.classList.remove("offline");
}

async function streamAnswer(box, question) {
  const log = $("messages");
  box.replaceChildren();
  progress(box, "sent", "Reading the question…");
  const id = await ensureConversation();
  const response = await reach("/ask/stream", {
    method: "POST", headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(id ? { question, conversation_id: id } : { question }),
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error?.message || `${response.status} ${response.statusText}`);
  }
  const text = el("div", { class: "text" });
  box.append(text);
  try {
    for await (const [name, data] of sseEvents(response)) {
      if (name === "intent") progress(box, "intent", STAGES[data.intent] || "Working on it…");
      else if (name === "citations") {
        const found = data.citations?.length;
        progress(box, "citations", found ? "Found the clauses; composing the answer…"
          : "No clause states it; composing the reply…");
        box.append(found ? chips(data.status === "partial" ? "Closest provisions:" : "Found:", data.citations)
          : chips("Nearest clauses:", data.related, true) || "");
      } else if (name === "token") {
        text.textContent += data.text;
      } else if (name === "answer") {
        renderReply(box, data);
        box.dataset.stage = "answer";
      } else if (name === "error") throw new Error(data.error.message);
      log.scrollTop = log.scrollHeight;
    }
  } catch (error) {
    throw error instanceof TypeError ? new Unreachable() : error;  // the connection dropped
  }
  if (box.dataset.stage !== "answer") throw new Unreachable();  // cut before the answer
}

async function ask(question) {
  const log = $("messages");
  log.querySelector(".hint:not(.earlier)")?.remove();
  log.append(el("div", { class: "message user", text: question }));
  const box = el("div", { class: "message assistant", "aria-busy": "true" });
  log.append(box);
  log.scrollTop = log.scrollHeight;
  const button = $("ask-button");
  button.disabled = true;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await streamAnswer(box, question);
        break;
      } catch (error) {
        if (!(error instanceof Unreachable) || attempt >= RETRY_SECONDS.length) throw error;
        await countdown(box, RETRY_SECONDS[attempt]);
      }
    }
  } catch (error) {
    box.classList.add("not-found");
    box.dataset.stage = "failed";
    const lost = error instanceof Unreachable;
    box.replaceChildren(el("div", { class: "text", text: lost
      ? `${UNREACHABLE} Your question is back in the box: send it again when the server is back.`
      : `Error: ${error.message}` }));
    if (lost && !$("question").value) $("question").value = question;
  } finally {
    box.removeAttribute("aria-busy");
    button.disabled = false;
  }
}

function setUpChat() {
  const form = $("ask-form");
  const input = $("question");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    input.value = "";
    ask(question);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  $("new-conversation").addEventListener("click", () => {
    keepConversation(null);
    $("messages").replaceChildren(el("p", { class: "hint", text: "New conversation." }));
    input.focus();
  });
}

// ---- documents (shared by Compare and Draft) -------------------------------------------------
let documents = [];

function option(value, label) { return el("option", { value }, label); }
const docLabel = (d) => d.name || d.document;

// Reloaded after an upload: what the person chose stays chosen (a new document is only added to
// the lists; it never becomes the preselected one).
async function loadDocuments() {
  documents = await api("/documents");
  const resolutions = documents.filter((d) => (d.kind || "resolution") === "resolution");
  const ids = new Set(resolutions.map((d) => d.document));
  const kept = (select) => (ids.has(select.value) ? select.value : null);
  const [base, drafted, clause] = [kept($("compare-base")), kept($("draft-document")), $("draft-clause").value];
  const ticked = new Set([...document.querySelectorAll("#compare-with input:checked")].map((i) => i.value));
  $("compare-base").replaceChildren(...resolutions.map((d) => option(d.document, docLabel(d))));
  $("draft-document").replaceChildren(...resolutions.map((d) => option(d.document, docLabel(d))));
  if (base) $("compare-base").value = base;
  if (drafted) $("draft-document").value = drafted;
  renderWithChoices();
  for (const box of document.querySelectorAll("#compare-with input")) box.checked = ticked.has(box.value);
  renderSourceChoices();
  await loadClauses();
  if (drafted && clause && [...$("draft-clause").options].some((o) => o.value === clause)) $("draft-clause").value = clause;
}

async function loadDocumentsUntilReached() {
  for (;;) {
    try {
      await loadDocuments();
      showAlert("");
      return;
    } catch (error) {
      if (!(error instanceof Unreachable)) { showAlert(`Could not list the documents: ${error.message}`); return; }
      showAlert(`${UNREACHABLE} Retrying in 5 s…`);
      await new Promise((resolve) => { setTimeout(resolve, 5000); });
    }
  }
}

const isResolution = (d) => (d.kind || "resolution") === "resolution";

function documentName(id) {
  const found = documents.find((d) => d.document === id);
  return found ? docLabel(found) : id;
}

function renderWithChoices() {
  const base = $("compare-base").value;
  $("compare-with").replaceChildren(...documents
    .filter((d) => d.document !== base && isResolution(d))
    .map((d) => el("label", {}, el("input", { type: "checkbox", name: "with", value: d.document }), docLabel(d))));
}

// ---- compare ----------------------------------------------------------------------------------
function compareQuery() {
  const doc = $("compare-base").value;
  const others = [...document.querySelectorAll('#compare-with input:checked')].map((i) => i.value);
  const params = new URLSearchParams({ doc });
  for (const other of others) params.append("with", other);
  return { doc, others, params };
}

const MATCH_HELP = "Match: how closely the clauses of a row correspond, in meaning and wording, "
  + "from 0 to 1 (1: the same text; below 0.5 clauses are not paired).";
// The aligner's score is a similarity plus a small bonus when the headings have the same function,
// so it can pass 1 for identical clauses: shown capped at 1.
const matchScore = (score) => Math.min(1, Math.max(0, score)).toFixed(2);

function renderAlignment(result, order) {
  const names = Object.fromEntries(documents.map((d) => [d.document, docLabel(d)]));
  const head = el("tr", {}, order.map((id) => el("th", { scope: "col", text: names[id] || id })),
    el("th", { scope: "col", title: MATCH_HELP }, "Match", el("span", { class: "unit", text: " (0–1)" })));
  const rows = result.groups.map((group) => el("tr", {},
    order.map((id) => {
      const clauses = group.clauses.filter((c) => c.document === id);
      if (!clauses.length) return el("td", { class: "empty" });
      return el("td", {}, clauses.map((c) => el("div", {},
        el("button", { type: "button", class: "chip related cite", onclick: () => openClause(c.id) },
          c.citation.replace(`${names[id] || ""}, `, "")),
        el("div", { text: c.text.length > 400 ? `${c.text.slice(0, 400)}…` : c.text }))));
    }),
    el("td", { class: "score", title: group.score ? `raw score ${group.score}` : "no counterpart",
      text: group.score ? matchScore(group.score) : "–" })));
  const table = el("table", { class: "align", "aria-label": "Aligned clauses", "aria-describedby": "match-help" },
    el("thead", {}, head), el("tbody", {}, rows));
  // a wide table scrolls inside its own box, never the whole page
  return el("div", {}, el("p", { id: "match-help", class: "muted small", text: MATCH_HELP }),
    el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Aligned clauses (scrolls sideways)" }, table));
}

// Word-level edits read as phrases: the deletions and insertions of a run of changes are merged
// (one deletion, then one insertion), across a kept stretch of at most PHRASE_GAP words without
// punctuation when it sits between a change that deletes and one that inserts ("of ~~WRCs~~ all
// ITU conferences and ~~WTDCs~~ assemblies" reads "of ~~WRCs and WTDCs~~ all ITU conferences and
// assemblies"). What the edits say is unchanged: the kept and inserted text still reads as the
// proposal, the kept and deleted text as the base.
const PHRASE_GAP = 2;

function phrases(edits) {
  const groups = [];  // alternating: {kind: "equal", text} and {kind: "change", del, ins}
  for (const edit of edits || []) {
    const last = groups[groups.length - 1];
    if (edit.kind === "equal") groups.push({ kind: "equal", text: edit.text });
    else if (last && last.kind === "change") last[edit.kind === "delete" ? "del" : "ins"] += edit.text;
    else groups.push({ kind: "change", del: edit.kind === "delete" ? edit.text : "", ins: edit.kind === "insert" ? edit.text : "" });
  }
  const merged = [];
  for (let k = 0; k < groups.length; k++) {
    const group = groups[k];
    const before = merged[merged.length - 1];
    const after = groups[k + 1];
    const short = group.kind === "equal" && group.text.trim().split(/\s+/).length <= PHRASE_GAP
      && !/[,;:.()]/.test(group.text);
    if (short && before?.kind === "change" && after?.kind === "change"
        && (before.del || after.del) && (before.ins || after.ins)) {
      before.del += group.text + after.del;
      before.ins += group.text + after.ins;
      k++;
    } else merged.push({ ...group });
  }
  return merged.flatMap((g) => (g.kind === "equal" ? [{ kind: "equal", text: g.text }]
    : [g.del && { kind: "delete", text: g.del }, g.ins && { kind: "insert", text: g.ins }].filter(Boolean)));
}

function renderEdits(edits) {
  return phrases(edits).flatMap((edit) => {
    if (edit.kind === "equal") return [document.createTextNode(edit.text)];
    const space = edit.text.match(/^\s*/)[0];  // the space before a change stays outside its mark
    const mark = el(edit.kind === "insert" ? "ins" : "del", { text: edit.text.slice(space.length) });
    return space ? [document.createTextNode(space), mark] : [mark];
  });
}

function renderChanges(result, query) {
  const counts = Object.entries(result.summary || {}).map(([k, v]) => `${v} ${k}`).join(", ");
  const changed = (result.clauses || []).filter((c) => c.status !== "unchanged");
  const title = `${result.a?.name || documentName(query.a)} → ${result.b?.name || documentName(query.b)}`;
  // the Word redline of the same comparison (tracked changes; moved clauses as Word moves)
  const word = el("a", { class: "button-link", href: `/compare?${new URLSearchParams({ ...query, format: "docx" })}`,
    download: `compare-${query.a}-${query.b}.docx` }, "Download the redline (.docx)");
  return el("div", { class: "card changes-card" }, el("div", { class: "card-head" }, el("h3", { text: `What changed: ${title}` }), word),
    el("p", { class: "muted", text: counts }),
    el("ul", { class: "changes" }, changed.map((change) => {
      const cited = change.b || change.a;
      return el("li", {},
        el("strong", { text: `${change.status}: ` }),
        el("button", { type: "button", class: "chip related", onclick: () => openClause(cited.id) }, cited.citation),
        change.changes ? el("div", { class: "redline" }, renderEdits(change.changes))
          : el("div", { class: "muted", text: cited.text }));
    })));
}

function setUpCompare() {
  $("compare-base").addEventListener("change", renderWithChoices);
  $("compare-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const { doc, others, params } = compareQuery();
    if (!others.length) { showAlert("Tick at least one resolution to align with."); return; }
    showAlert("");
    $("compare-result").replaceChildren(el("p", { class: "muted", text: "Aligning…" }));
    try {
      const result = await api(`/align?${params}`);
      $("compare-result").replaceChildren(renderAlignment(result, [doc, ...others]));
      $("compare-docx").disabled = false;
    } catch (error) { showAlert(error.message); $("compare-result").replaceChildren(); }
  });
  $("changes-button").addEventListener("click", async () => {
    const { doc, others } = compareQuery();
    if (!others.length) { showAlert("Tick the other version to compare with."); return; }
    showAlert("");
    try {
      const query = { a: others[0], b: doc };
      const result = await api(`/compare?${new URLSearchParams(query)}`);
      $("compare-result").replaceChildren(renderChanges(result, query));
    } catch (error) { showAlert(error.message); }
  });
  $("compare-docx").addEventListener("click", async () => {
    const { doc, others, params } = compareQuery();
    if (!others.length) { showAlert("Tick at least one resolution to align with."); return; }
    params.set("format", "docx");
    try { saveBlob(await api(`/align?${params}`), `alignment-${doc}.docx`); }
    catch (error) { showAlert(error.message); }
  });
}

// ---- draft ------------------------------------------------------------------------------------
async function loadClauses() {
  const id = $("draft-document").value;
  if (!id) return;
  const structure = await api(`/documents/${encodeURIComponent(id)}`);
  $("draft-clause").replaceChildren(...structure.sections.flatMap((s) => s.clauses)
    .map((c) => option(c.id, `${c.citation.replace(`${structure.name}, `, "")} — ${c.text.slice(0, 60)}`)));
}

function draftMode() {
  return document.querySelector('input[name="draft-mode"]:checked').value;
}

function draftRequest() {
  const body = draftMode() === "clause" ? { clause_id: $("draft-clause").value } : { topic: $("draft-topic").value.trim() };
  if ($("draft-for").value) body.for_body = $("draft-for").value;
  const excluded = excludedDocuments();
  if (excluded.length) body.exclude_documents = excluded;
  return body;
}

// ---- what a draft starts from, said in the words of the form --------------------------------
function showTargetMessage(message, field = null) {
  const box = $("draft-target-message");
  box.textContent = message;
  box.hidden = !message;
  for (const id of ["draft-topic", "draft-clause"]) {
    if (id === field) $(id).setAttribute("aria-invalid", "true"); else $(id).removeAttribute("aria-invalid");
  }
  if (field) $(field).focus();
}

/** False (with the message shown next to the field) when the form names nothing to draft from. */
function targetChosen() {
  const mode = draftMode();
  if (mode === "topic" && !$("draft-topic").value.trim()) {
    showTargetMessage("Type a topic to draft on, or choose “a clause” under “Start from”.", "draft-topic");
    return false;
  }
  if (mode === "clause" && !$("draft-clause").value) {
    showTargetMessage("Choose a resolution and a clause to draft from, or choose “a topic”.", "draft-clause");
    return false;
  }
  showTargetMessage("");
  return true;
}

// the server's words for a request the form should not have sent, in the words of the form
function inFormWords(message) {
  return /clause_id|\btopic\b.*field/i.test(message)
    ? "Choose a clause to draft from, or type a topic (“Start from”), not both." : message;
}

// ---- which resolutions a draft takes wording from ("Take wording from") -----------------------
const leftOut = new Set();  // the ones the drafter unticked, kept when the base or mode changes

function renderSourceChoices() {
  const mode = draftMode();
  const baseId = mode === "topic" ? null : $("draft-document").value;
  const base = documents.find((d) => d.document === baseId);
  // Not offered: the document drafted from (the seed or the base), and for a revision the base's
  // other versions (GET /revise never uses them; the hint says so).
  const offered = documents.filter((d) => isResolution(d) && d.document !== baseId
    && !(mode === "whole" && base?.number && d.body === base.body && d.number === base.number));
  $("draft-with").replaceChildren(...offered.map((d) => el("label", {},
    el("input", { type: "checkbox", name: "draft-with", value: d.document, checked: !leftOut.has(d.document),
      onchange: (event) => {
        if (event.target.checked) leftOut.delete(d.document); else leftOut.add(d.document);
        sourcesChosen(false);
      } }),
    docLabel(d))));
  if (!offered.length) {
    $("draft-with").append(el("span", { class: "muted", text: "No other resolution in the library." }));
  }
  showSourcesMessage("");
}

function showSourcesMessage(message) {
  const box = $("draft-sources-message");
  box.textContent = message;
  box.hidden = !message;
  $("draft-sources").classList.toggle("invalid", Boolean(message));
}

const sourceBoxes = () => [...document.querySelectorAll('#draft-with input[type="checkbox"]')];
const excludedDocuments = () => sourceBoxes().filter((box) => !box.checked).map((box) => box.value);

/** False (with the message shown) when every offered resolution is unticked. */
function sourcesChosen(focus = true) {
  const boxes = sourceBoxes();
  if (boxes.length && !boxes.some((box) => box.checked)) {
    showSourcesMessage("Every resolution is unticked: tick at least one to take wording from.");
    if (focus) boxes[0].focus();
    return false;
  }
  showSourcesMessage("");
  return true;
}

function wordDiff(before, after) {
  const a = before.split(/(\s+)/).filter(Boolean);
  const b = after.split(/(\s+)/).filter(Boolean);
  const table = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out = [];
  const add = (kind, text) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text; else out.push({ kind, text });
  };
  let i = 0; let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { add("equal", a[i]); i++; j++; }
    else if (j < b.length && (i === a.length || table[i][j + 1] >= table[i + 1][j])) add("insert", b[j++]);
    else add("delete", a[i++]);
  }
  return renderEdits(out);
}

function usedDocuments(citations, excluded) {
  const used = [...new Set((citations || []).map((c) => c.document).filter(Boolean))];
  return [
    used.length ? el("p", { class: "used-documents muted", text: `Wording from: ${used.map(documentName).join("; ")}.` }) : null,
    excluded?.length ? el("p", { class: "left-out muted", text: `Left out: ${excluded.map(documentName).join("; ")}.` }) : null,
  ];
}

// a citation brought up to the newest revision in the library: what it replaces and where from
function updatedCitations(updates) {
  if (!updates?.length) return null;
  return el("div", { class: "card updated-citations" },
    el("h3", { text: "Citations updated to the newest revision in the library" }),
    el("ul", {}, updates.map((u) => el("li", { text: `${u.from} → ${u.to} (${documentName(u.document)})` }))));
}

function renderDraft(draft, withRedline = true, excluded = []) {
  const names = Object.fromEntries((draft.sources || []).map((c) => [c.id, c.citation]));
  const where = el("p", { class: "span-sources muted", "aria-live": "polite",
    text: "Hover or focus a phrase (Tab) to see where it comes from." });
  const cite = (ids) => ids.map((id) => names[id] || id).join("; ");
  const reading = (text) => (text ? `“${text.trim()}”` : "nothing");
  const others = (span) => (span.alternatives || [])
    .map((a) => `${reading(a.text)} (${cite(a.sources)})`).join("; or ");
  const replaced = (span) => (span.updated_citation ? `. Newest revision in the library; the source has “${span.replaces.join("; ")}”`
    : span.term_map ? `. Term map; the source has “${span.replaces.join("; ")}”` : "");
  const merged = el("p", { class: "merged" }, (draft.spans || []).map((span) => {
    const differs = Boolean(span.alternatives?.length);
    const label = `Sources: ${cite(span.sources)}${replaced(span)}` + (differs ? `. Other readings: ${others(span)}` : "");
    const show = () => { where.textContent = label; };
    // a gap (words only other sources have) is marked by CSS (::before), so copied text never
    // holds the mark; screen readers get its label
    return el("span", { class: `span${differs ? " differs" : ""}${span.text ? "" : " gap"}`, tabindex: "0",
      title: label, "data-sources": span.sources.join(" "), onmouseenter: show, onfocus: show,
      "aria-label": span.text ? null : `Gap: words only other sources have. ${label}` },
    span.text);
  }));
  const parts = [el("div", { class: "card" }, el("h3", { text: "Proposed wording" }), merged, where)];
  const differing = (draft.spans || []).map((span, k) => [span, k]).filter(([span]) => span.alternatives?.length);
  if (differing.length) {
    const before = (k) => draft.spans.slice(0, k).map((s) => s.text).join("").trim().split(/\s+/).slice(-3).join(" ");
    parts.push(el("div", { class: "card alternatives" },
      el("h3", { text: "Where the sources differ" }),
      el("ul", {}, differing.map(([span, k]) => el("li", {},
        el("strong", { text: span.text.trim() ? reading(span.text) : `nothing after “${before(k)}”` }),
        ` (${cite(span.sources)}); or ${others(span)}`)))));
  }
  const redline = draft.redline;  // computed by the server: the same marks as the Word file
  if (withRedline && redline) {
    parts.push(el("div", { class: "card" },
      el("h3", { text: `Redline against ${redline.against.citation}` }),
      redline.against.text === draft.text
        ? el("p", { class: "muted", text: "The proposal keeps the base wording unchanged." }) : null,
      el("p", { class: "redline" }, renderEdits(redline.changes))));
  }
  parts.push(updatedCitations(draft.updated_citations));
  parts.push(el("div", { class: "card" }, el("h3", { text: "Sources" }),
    usedDocuments(draft.sources, excluded), chips("", draft.sources)));
  return el("div", { class: "draft" }, parts.filter(Boolean));
}

// ---- the whole resolution (GET /revise) ------------------------------------------------------
function reviseQuery(format) {
  const params = new URLSearchParams({ document: $("draft-document").value });
  if ($("draft-for").value) params.set("for", $("draft-for").value);
  for (const id of excludedDocuments()) params.append("exclude", id);
  if (format) params.set("format", format);
  return `/revise?${params}`;
}

const withNotes = (text, notes) => [text, ...(notes || []).map((n) => `[Footnote: ${n}]`)].join(" ");
// as printed in ITU texts: lettered clauses "a)", numbered ones "1", sub-items "i)", indents "–"
const printed = (label) => (/^[a-z]{1,3}$/i.test(label) ? `${label})` : label);
const clauseLabel = (c) => (!c ? "" : !c.sub ? printed(c.label || "") : c.sub.startsWith("indent") ? "–" : printed(c.sub));

function labelRedline(base, clause) {
  const [before, after] = [clauseLabel(base), clauseLabel(clause)];
  if (before === after) return after ? [`${after} `] : [];
  return [before ? el("del", { text: before }) : null, after ? el("ins", { text: after }) : null, " "];
}

function sourceName(id, citations = {}) {
  if (citations[id]) return citations[id];
  const [doc, ...rest] = id.split("/");
  const found = documents.find((d) => d.document === doc);
  return `${found ? docLabel(found) : doc}, ${rest.join(" ")}`;
}

function renderRevision(revision, structure, changedOnly = false) {
  const before = Object.fromEntries(structure.sections.flatMap((s) => s.clauses).map((c) => [c.id, c]));
  const counts = revision.counts || {};
  const names = revision.with.map(documentName);
  const excluded = revision.excluded || [];
  const parts = [el("p", { class: "muted revision-summary", text: `For ${revision.for}, with ${names.join("; ")}: `
    + `${counts.revised} revised, ${counts.added} added, ${counts.kept} kept.` }),
  excluded.length ? el("p", { class: "left-out muted", text: `Left out: ${excluded.map(documentName).join("; ")}.` }) : null,
  el("p", {}, el("strong", { text: "MOD" })),
  el("h3", { text: structure.name || revision.document })];
  const bases = new Set(structure.sections.map((s) => s.heading));
  let heading = null;
  for (const clause of revision.clauses) {
    if (changedOnly && clause.status === "kept") continue;
    if (clause.section !== heading) {
      heading = clause.section;
      const shown = el("em", {}, bases.has(heading) ? heading : el("ins", { text: heading }));
      parts.push(el("h4", { class: "revision-heading" }, shown));
    }
    const base = clause.base ? before[clause.base] : null;
    const text = withNotes(clause.text, clause.footnotes);
    const body = !base ? [el("ins", { text })]
      : clause.status === "kept" ? [document.createTextNode(text)] : wordDiff(base.text || "", text);
    const others = clause.sources.filter((id) => id !== clause.base);
    parts.push(el("div", { class: `revised-clause ${clause.status}`, "data-status": clause.status },
      el("span", { class: "badge status", text: clause.status }),
      el("p", { class: "redline" }, labelRedline(base, clause), body),
      others.length ? el("div", { class: "chips" }, el("span", { class: "label", text: "Sources:" }),
        others.map((id) => el("button", { type: "button", class: "chip related", title: id,
          onclick: () => openClause(id) }, sourceName(id, revision.citations)))) : null));
  }
  parts.push(updatedCitations(revision.updated_citations));
  return el("section", { class: "card revision", "aria-label": "Revised resolution" }, parts.filter(Boolean));
}

async function reviseWhole() {
  const [revision, structure] = await Promise.all([
    api(reviseQuery()), api(`/documents/${encodeURIComponent($("draft-document").value)}`)]);
  return renderRevision(revision, structure);
}

function setUpDraft() {
  $("draft-document").addEventListener("change", () => {
    renderSourceChoices();
    loadClauses().catch((e) => showAlert(e.message));
  });
  for (const radio of document.querySelectorAll('input[name="draft-mode"]')) {
    radio.addEventListener("change", () => {
      const mode = draftMode();
      showTargetMessage("");
      $("draft-topic-fields").hidden = mode !== "topic";
      $("draft-clause-fields").hidden = mode === "topic";
      $("draft-clause-field").hidden = mode !== "clause";
      $("draft-whole-hint").hidden = mode !== "whole";
      $("draft-button").textContent = mode === "whole" ? "Revise" : "Draft";
      $("draft-docx").disabled = true;
      $("draft-result").replaceChildren();
      renderSourceChoices();
    });
  }
  const post = (format) => api(`/draft${format ? "?format=docx" : ""}`, {
    method: "POST", headers: { "Content-Type": "application/json", Accept: format ? DOCX : "application/json" },
    body: JSON.stringify(draftRequest()),
  });
  $("draft-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showAlert("");
    if (!targetChosen() || !sourcesChosen()) return;
    const whole = draftMode() === "whole";
    $("draft-result").replaceChildren(el("p", { class: "muted", text: whole ? "Revising…" : "Drafting…" }));
    try {
      const excluded = excludedDocuments();
      $("draft-result").replaceChildren(whole ? await reviseWhole() : renderDraft(await post(false), true, excluded));
      $("draft-docx").disabled = false;
    } catch (error) { showAlert(inFormWords(error.message)); $("draft-result").replaceChildren(); }
  });
  for (const field of ["draft-topic", "draft-clause"]) $(field).addEventListener("input", () => showTargetMessage(""));
  $("draft-docx").addEventListener("click", async () => {
    if (!targetChosen() || !sourcesChosen()) return;
    try {
      if (draftMode() === "whole") {
        saveBlob(await api(reviseQuery("docx")), `revision-${$("draft-document").value}.docx`);
      } else saveBlob(await post(true), "draft.docx");
    } catch (error) { showAlert(error.message); }
  });
}

// ---- upload -----------------------------------------------------------------------------------
function setUpUpload() {
  $("upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showAlert("");
    const file = $("upload-file").files[0];
    if (!file) { showAlert("Choose a file to upload."); return; }
    const form = new FormData();
    form.append("file", file);
    $("upload-result").replaceChildren(el("p", { class: "muted", text: "Uploading…" }));
    try {
      const replace = $("upload-replace").checked ? "?replace=true" : "";
      const result = await api(`/ingest${replace}`, {
        method: "POST", body: form, headers: { Authorization: `Bearer ${$("upload-token").value}` },
      });
      $("upload-result").replaceChildren(el("div", { class: "card" },
        el("h3", { text: `Ingested ${result.file}` }),
        el("ul", {}, result.documents.map((d) => el("li", {
          text: `${d.name}: ${d.clauses} clauses${result.replaced.includes(d.document) ? " (replaced)" : ""}`,
        }))),
        ...(result.skipped || []).map((s) => el("p", { class: "alert", text: `Skipped: ${s.reason}` }))));
      await loadDocuments();
    } catch (error) { showAlert(error.message); $("upload-result").replaceChildren(); }
  });
}

// ---- start ------------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  setUpTabs();
  setUpChat();
  setUpCompare();
  setUpDraft();
  setUpUpload();
  $("clause-close").addEventListener("click", () => { $("clause-panel").hidden = true; });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("clause-panel").hidden) { $("clause-panel").hidden = true; }
  });
  loadDocumentsUntilReached();
  restoreConversation();
  $("question").focus();
});
