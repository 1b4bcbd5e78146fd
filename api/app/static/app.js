// Send the form to POST api/v1/explain as one row; show the price, its range, what
// the API read differently from what was typed, and a chart of the features that
// moved the price most, in words (featureWords, from words.js).
"use strict";

const form = document.getElementById("house-form");
const message = document.getElementById("message");
const answer = document.getElementById("answer");
const chart = document.getElementById("chart");
const SVG = "http://www.w3.org/2000/svg";
const BARS = 8; // the largest contributions drawn
const dollars = new Intl.NumberFormat("en-US", {
  style: "currency", currency: "USD", maximumFractionDigits: 0,
});

// One row keyed by the Kaggle column names; an empty field is left out, so the model
// imputes it like any other missing value.
function formToRow(formElement) {
  const row = {};
  for (const field of formElement.elements) {
    if (!field.name || field.value === "") continue;
    row[field.name] = field.dataset.type === "number" ? Number(field.value) : field.value;
  }
  return row;
}

// FastAPI's 422 body lists each problem with the path of the field ("loc").
function describeError(body) {
  if (Array.isArray(body.detail)) {
    return body.detail.map((e) => `${e.loc.slice(2).join(".")}: ${e.msg}`).join("\n");
  }
  return body.detail || "the API gave no reason";
}

function showMessage(text, isError) {
  answer.hidden = true;
  message.textContent = text;
  message.className = isError ? "error" : "";
}

function svgElement(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

// A contribution c is a term of the log price: exp(c) - 1 is the price change it makes,
// against that feature's lowest value in the training data.
function percent(contribution) {
  return 100 * Math.expm1(contribution);
}

function percentText(value) {
  return `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(0)} %`;
}

// Horizontal bars, one per feature, from a zero line: up to the right, down to the left.
function drawChart(explanation) {
  const largest = [...explanation.contributions]
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, BARS);
  const values = largest.map((c) => percent(c.contribution));
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const imputed = new Set(explanation.imputed);
  const width = 680, labelWidth = 250, valueWidth = 60, rowHeight = 26;
  const plotWidth = width - labelWidth - 2 * valueWidth;
  const x = (value) => labelWidth + valueWidth + ((value - low) / (high - low || 1)) * plotWidth;
  const svg = svgElement("svg", {
    viewBox: `0 0 ${width} ${rowHeight * largest.length + 8}`,
    role: "img",
    "aria-label": "The features that move the price most, in % of the price",
  });
  largest.forEach((item, index) => {
    const y = index * rowHeight + 4;
    const value = values[index];
    const start = Math.min(x(0), x(value));
    const group = svgElement("g", { class: value >= 0 ? "bar up" : "bar down" });
    group.append(
      svgElement("text", { x: 0, y: y + rowHeight / 2 + 5, class: "label" },
        imputed.has(item.feature)
          ? `${featureWords(item.feature)} (imputed)`
          : featureWords(item.feature)),
      svgElement("rect", {
        x: start, y: y + 3, height: rowHeight - 8,
        width: Math.max(1, Math.abs(x(value) - x(0))),
      }),
      svgElement("text", {
        x: value >= 0 ? x(value) + 6 : x(value) - 6,
        y: y + rowHeight / 2 + 5,
        "text-anchor": value >= 0 ? "start" : "end",
        class: "value",
      }, percentText(value)),
    );
    svg.append(group);
  });
  svg.append(svgElement("line", {
    x1: x(0), x2: x(0), y1: 0, y2: rowHeight * largest.length + 8, class: "zero",
  }));
  chart.querySelector("svg")?.remove();
  chart.prepend(svg);
  document.getElementById("chart-caption").textContent =
    `The ${largest.length} features (of ${explanation.contributions.length}) that move ` +
    "this price most. Each bar is exp(contribution) − 1: how much this house's value " +
    "of the feature raises (or lowers) the price compared with that feature's lowest " +
    "value in the training data (for a label, the cheapest one), the others unchanged; " +
    "\"imputed\": not given, so filled in as the model fills a missing value. " +
    `With every feature at its lowest, the price would be ${dollars.format(Math.exp(explanation.intercept))}.`;
}

// What the model read differently from what the user typed: a field of this form
// left empty (filled in as a missing value) or a choice its training data never had
// (priced as unknown). The inputs the form does not ask for are said once, in the
// page's introduction, not with every price.
function readDifferently(explanation) {
  const asked = new Set([...form.elements].map((field) => field.name).filter(Boolean));
  const typed = formToRow(form);
  const empty = explanation.imputed
    .filter((column) => asked.has(column) && !(column in typed))
    .map((column) =>
      `${featureWords(column)}: left empty, so filled in as a missing value`);
  const unseen = explanation.unseen
    .map((entry) => entry.split("="))
    .filter(([column]) => column in typed)
    .map(([column, label]) =>
      `${featureWords(column)}: "${label}" was never seen in training, so it is ` +
      "priced as unknown");
  return [...empty, ...unseen];
}

function showAnswer(body) {
  const price = body.predictions[0];
  const explanation = body.explanations[0];
  document.getElementById("price").textContent =
    `Predicted price: ${dollars.format(price)} (model ${body.version})`;
  const span = explanation && explanation.price_range;
  document.getElementById("range").textContent = span
    ? `Range: ${dollars.format(span.low)} to ${dollars.format(span.high)}`
    : "Range: none (this model was trained without one)";
  document.getElementById("range-meaning").hidden = !span;
  const notes = explanation ? readDifferently(explanation) : [];
  const list = document.getElementById("warning-list");
  list.replaceChildren(...notes.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
  document.getElementById("warnings").hidden = notes.length === 0;
  chart.hidden = !explanation;
  if (explanation) drawChart(explanation);
  message.textContent = "";
  answer.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showMessage("Estimating…", false);
  try {
    const response = await fetch("api/v1/explain", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ inputs: [formToRow(form)] }),
    });
    const body = await response.json();
    if (!response.ok) {
      showMessage(`The API refused the request (${response.status}):\n${describeError(body)}`, true);
    } else if (body.predictions[0] === null) {
      showMessage(`No price:\n${body.errors.map((e) => `${e.column}: ${e.message}`).join("\n")}`, true);
    } else {
      showAnswer(body);
    }
  } catch (error) {
    showMessage(`Could not reach the API: ${error}`, true);
  }
});
