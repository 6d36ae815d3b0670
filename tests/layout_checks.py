"""Layout checks run in the page: text cut or running out of its box, and chart notes under 12 px.

``LAYOUT_PROBLEMS`` returns a list of ``{kind, what, ...}``: headings, captions, buttons, widget labels,
metrics, tabs and selectbox values whose content is wider than their box (``scrollWidth > clientWidth``, which
is how an ellipsis or a clip shows), elements reaching past the main column, plotly titles, notes, legends and
axis titles outside their figure, and plotly annotations smaller than 12 px.
"""

LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const describe = (el) => (el.getAttribute('data-testid') || el.tagName) + ': ' + (el.innerText || el.textContent || '').trim().slice(0, 60);
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const mainRect = main.getBoundingClientRect();
  const sel = 'h1, h2, h3, h4, [data-testid="stCaptionContainer"], button, [data-testid="stWidgetLabel"], [data-testid="stMarkdownContainer"] p, [data-testid="stMetricLabel"], [data-testid="stMetricValue"], [data-testid="stExpander"] summary, [data-testid="stTab"]';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) problems.push({kind: 'clipped', what: describe(el), scroll: el.scrollWidth, client: el.clientWidth});
    if (main.contains(el) && r.right > mainRect.right + 1) problems.push({kind: 'outside main', what: describe(el), right: r.right, main: mainRect.right});
  }
  // text cut with an ellipsis inside buttons, selectboxes, tabs and labels (the box itself may not overflow)
  for (const el of document.querySelectorAll('button *, input[role="combobox"], [data-testid="stWidgetLabel"] *, [data-testid="stTab"] *, [data-testid="stMetric"] *')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 2) continue;  // visually hidden (an uploader's icon button, a collapsed element)
    if (el.scrollWidth > el.clientWidth + 1) problems.push({kind: 'cut', what: describe(el.closest('button, [data-testid="stSelectbox"], [data-testid="stWidgetLabel"], [data-testid="stTab"], [data-testid="stMetric"]') || el), scroll: el.scrollWidth, client: el.clientWidth});
  }
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const pr = plot.getBoundingClientRect();
    for (const t of plot.querySelectorAll('.annotation-text, .gtitle, .legendtext, .g-xtitle text, .g-ytitle text, .colorbar text')) {
      const r = t.getBoundingClientRect();
      if (r.width <= 2) continue;  // visually hidden (an uploader's icon button, a collapsed element)
      if (r.right > pr.right + 1 || r.left < pr.left - 1) problems.push({kind: 'plot text outside', what: t.textContent.slice(0, 60), right: r.right, plot: pr.right});
    }
    for (const t of plot.querySelectorAll('.annotation-text')) {
      const size = parseFloat(getComputedStyle(t).fontSize);
      if (size < 12) problems.push({kind: 'small note', what: t.textContent.slice(0, 60), size});
    }
  }
  return problems;
}
"""

# Text a page must never show where a name or a blank belongs.
NONE_WORD = r"\bNone\b|\bnan\b|\bNaN\b"
RAW_CODES = r"\bnhth_[a-z0-9_]+_\d{4}\b|\bactual_(?:csa|is|total)\b|\bcleared_[a-z_]+\b"
