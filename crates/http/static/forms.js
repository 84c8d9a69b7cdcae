// Forms, with JavaScript: choosing a person in a participant row of the engagement form
// fills the row's organisation with the person's current one at once (the server does
// the same when it shows a posted form again), unless the row names another
// organisation the user chose. Every form works without this file.
document.addEventListener('change', (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !/^p\d+_person$/.test(select.name)) return;
  const org = select.form && select.form.elements.namedItem(select.name.replace(/_person$/, '_org'));
  if (!(org instanceof HTMLSelectElement)) return;
  const current = select.selectedOptions[0] && select.selectedOptions[0].dataset.org;
  // Filled by us before, or empty: ours to change.
  const ours = org.value === '' || org.dataset.filled === org.value;
  if (!current || !ours || ![...org.options].some((o) => o.value === current)) return;
  org.value = current;
  org.dataset.filled = current;
});
