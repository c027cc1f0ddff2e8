// Similar ideas while typing a title: a hint, never a block. Without JavaScript the form works the same.
(function () {
  const input = document.querySelector("[data-similar-source]");
  const box = document.getElementById("similar-ideas");
  if (!input || !box || !window.fetch) return;
  let timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      if (input.value.trim().length < 4) { box.replaceChildren(); return; }
      try {
        const response = await fetch(box.dataset.url + "?titel=" + encodeURIComponent(input.value));
        const data = await response.json();
        box.replaceChildren();
        if (!data.results.length) return;
        const heading = document.createElement("p");
        heading.textContent = box.dataset.heading;
        const list = document.createElement("ul");
        for (const idea of data.results) {
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = idea.url; link.textContent = idea.title; link.target = "_blank";
          item.append(link); list.append(item);
        }
        box.append(heading, list);
      } catch (error) { box.replaceChildren(); }
    }, 300);
  });
})();
