import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();

// Content that htmx swaps in (a form answered with its errors) gets the GOV.UK components' behaviour
// too; an error summary among it takes the focus, as it does when the page loads.
document.addEventListener("htmx:load", (event) => {
  if (event.target instanceof Element && event.target !== document.body) {
    initAll({ scope: event.target });
  }
});
