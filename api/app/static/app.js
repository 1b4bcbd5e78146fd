// Send the form to POST api/v1/predict as one row and show the predicted price.
"use strict";

const form = document.getElementById("house-form");
const result = document.getElementById("result");
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

function show(text, isError) {
  result.textContent = text;
  result.className = isError ? "error" : "";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  show("Estimating…", false);
  try {
    const response = await fetch("api/v1/predict", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ inputs: [formToRow(form)] }),
    });
    const body = await response.json();
    if (!response.ok) {
      show(`The API refused the request (${response.status}):\n${describeError(body)}`, true);
    } else if (body.predictions[0] === null) {
      show(`No price:\n${body.errors.map((e) => `${e.column}: ${e.message}`).join("\n")}`, true);
    } else {
      show(`Predicted price: ${dollars.format(body.predictions[0])} (model ${body.version})`, false);
    }
  } catch (error) {
    show(`Could not reach the API: ${error}`, true);
  }
});
