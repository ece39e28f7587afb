// The guest form posts to the chosen date's registration URL; "Register for this date" links preselect it.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("guest-session");
  if (!select) return;
  const form = select.form;
  const sync = () => { const o = select.selectedOptions[0]; if (o) form.action = o.dataset.action; };
  select.addEventListener("change", sync);
  document.querySelectorAll("a[data-session]").forEach((link) => link.addEventListener("click", () => {
    select.value = link.dataset.session; sync();
  }));
  sync();
});
