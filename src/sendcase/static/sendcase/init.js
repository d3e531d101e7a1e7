// Starts the GOV.UK Frontend components on every page (a file, not inline script, for the
// Content Security Policy).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
