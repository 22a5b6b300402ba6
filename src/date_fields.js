// An empty date field looks empty in every engine: main.css hides what an
// engine draws in a date field marked data-empty (WebKitGTK: today's date,
// greyed). The project page's fields keep the mark from their value
// (ui::fields); the forms' own date fields start with it when empty and are
// marked here as they are typed in.
for (const type of ['input', 'change']) {
  addEventListener(type, ({ target }) => {
    if (target.type === 'date') target.toggleAttribute('data-empty', !target.value);
  }, true);
}
