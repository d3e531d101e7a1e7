// Loaded at the top of <body> (not inline, for the Content Security Policy): tells the GOV.UK
// Frontend styles that JavaScript runs, and whether this browser supports its components.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
