// The office app's pictures: a bar chart drawn beside each table marked
// `data-chart`, from the numbers in that table, so the two cannot disagree.
// Written here rather than in Rust: drawn in the app's wasm, the same charts
// cost the office app 3.4 KB gzip, over its budget; this script is about 1 KB.
//
// `data-chart="stack"`: one bar per row, its series (the header cells marked
// `data-series`) stacked, scaled to the largest row, with "红2 黄1 待0 绿7" at its
// end. `data-chart="share"`: one bar per series per row, a percentage of the
// full width, the percentage at its end. Series are told apart without
// colour too (office.css: dark, light with a dashed edge, white with a solid
// edge), so black-and-white paper still reads. The chart is hidden from
// screen readers: the table beside it says it all.
const SVG = 'http://www.w3.org/2000/svg';
// The chart's units: row names, then bars of at most SPAN, then their numbers.
const [WIDTH, LABELS, SPAN, BAR, PITCH, KEY] = [392, 84, 190, 12, 16, 24];

function shape(parent, name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  parent.append(element);
  return element;
}

function draw(table) {
  const share = table.dataset.chart === 'share';
  const series = [...table.tHead.rows[0].cells].map((th, i) => [i, th.dataset.series, th.textContent]).filter(([, s]) => s);
  const rows = [...table.tBodies[0].rows].map((tr) => [
    tr.cells[0].textContent,
    series.map(([i]) => parseInt(tr.cells[i].textContent, 10) || 0),
  ]);
  const height = KEY + rows.length * ((share ? series.length : 1) * PITCH + 6);
  const svg = shape(table.parentNode, 'svg', { class: 'chart', viewBox: `0 0 ${WIDTH} ${height}`, 'aria-hidden': 'true' });
  // The key: each name after its swatch, the next one after the name (11 units a character).
  let x = LABELS;
  for (const [, s, name] of series) {
    shape(svg, 'rect', { x, y: 4, width: BAR, height: BAR, class: s });
    shape(svg, 'text', { x: x + BAR + 4, y: 4 + BAR - 2 }, name);
    x += BAR + 4 + name.length * 11 + 12;
  }
  const most = Math.max(1, ...rows.map(([, values]) => values.reduce((a, b) => a + b, 0)));
  let y = KEY;
  for (const [name, values] of rows) {
    shape(svg, 'text', { x: 0, y: y + BAR - 2 }, name);
    let x = LABELS;
    values.forEach((value, n) => {
      const width = Math.round(value * SPAN / (share ? 100 : most));
      if (width > 0) shape(svg, 'rect', { x, y, width, height: BAR, class: series[n][1] });
      if (share) {
        shape(svg, 'text', { x: x + width + 4, y: y + BAR - 2 }, `${value}%`);
        y += PITCH;
      } else {
        x += width;
      }
    });
    if (!share) {
      shape(svg, 'text', { x: x + 4, y: y + BAR - 2 }, values.map((value, n) => series[n][2].charAt(0) + value).join(' '));
      y += PITCH;
    }
    y += 6;
  }
  return svg;
}

// Leptos redraws a table when its numbers change; the chart follows.
function drawAll() {
  for (const table of document.querySelectorAll('table[data-chart]')) {
    const key = table.textContent;
    const before = table.previousElementSibling;
    if (before?.dataset?.key === key) continue;
    const svg = draw(table);
    svg.dataset.key = key;
    if (before?.classList.contains('chart')) before.remove();
    table.before(svg);
  }
}

let queued = false;
new MutationObserver(() => {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    drawAll();
  });
}).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
