// Draws the analytics page's charts from the JSON the server put in #chart-data (Chart.js, vendored).
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const colours = ["#0b4f6c", "#e07a1f", "#2e7d32", "#a33", "#6a4c93", "#7a7a7a"];
  Chart.defaults.animation = false;
  const draw = (id, type, labels, values, label) =>
    new Chart(document.getElementById(id), {
      type: type,
      data: { labels: labels, datasets: [{ label: label, data: values,
        backgroundColor: type === "doughnut" ? colours : colours[0] }] },
      options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { display: type === "doughnut" } } },
    });
  draw("chart-per-day", "bar", data.days, data.per_day, "messages");
  draw("chart-per-variety", "bar", Object.keys(data.per_variety), Object.values(data.per_variety), "messages");
  draw("chart-outcomes", "doughnut", ["répondu", "refusé", "transmis"],
       [data.outcomes.answered, data.outcomes.refused, data.outcomes.handed_off], "messages");
  draw("chart-votes", "doughnut", ["👍 pour", "👎 contre"], [data.votes.up, data.votes.down], "votes");
  document.body.dataset.charts = "drawn";
})();
