// The import page: show the columns and templates of the layout chosen, not every layout's.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("id_resource");
  const layouts = document.querySelectorAll(".import-layout");
  if (!select || select.tagName !== "SELECT" || layouts.length < 2) {
    return;
  }
  const show = () => {
    layouts.forEach((layout) => {
      layout.hidden = layout.dataset.resource !== select.value;
    });
  };
  select.addEventListener("change", show);
  show();
});
