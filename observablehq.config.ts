// Observable Framework configuration. The site must build and run without any outside host
// (air-gapped clusters): see scripts/prepare-npm-cache.ts and README "Development notes".

/** Sidebar pages, in reading order. Add a page here when you add a .md file under src/. */
const pages = [
  { name: "Capacity gap", path: "/" },
  { name: "FLOPs model", path: "/flops" },
  { name: "Planner", path: "/planner" },
  { name: "Existing teachers", path: "/teachers" },
  { name: "Compute scenarios", path: "/scenarios" },
  { name: "When distillation wins (Fig. 6, 14)", path: "/contours" },
  { name: "Laws and fits (Table 6, Fig. 5)", path: "/fits" },
  { name: "Runs browser (SQL)", path: "/runs" },
  { name: "Your runs (upload and fit)", path: "/yourruns" },
  { name: "Compute-optimal students (Fig. 8)", path: "/figure8" },
  { name: "Optimal allocations (Fig. 9)", path: "/allocations" },
  { name: "Capacity gap by budget (Fig. 4, 7)", path: "/capacity-gap" },
  { name: "Infinite-data limit (Fig. 40)", path: "/infinite-data" },
  { name: "Target loss (Fig. 33, 34)", path: "/target-loss" },
  { name: "Lifetime cost (serving)", path: "/lifetime" },
  { name: "Report", path: "/report" },
];

export default {
  title: "Distillation planner",
  root: "src",
  pages,
  // Replaces the default theme stylesheet, which loads Source Serif 4 from Google Fonts, with one
  // that imports the same theme and a self-hosted copy of the font.
  style: "style.css",
  globalStylesheets: [],
  // No DuckDB extension is downloaded: CSV needs none, and json/parquet would be fetched from
  // extensions.duckdb.org at build time.
  duckdb: { extensions: { json: null, parquet: null } },
  search: false,
  // Links name the built files (./planner.html), so the site works from any static server, one
  // that adds ".html" to an address or not (python3 -m http.server does not).
  preserveExtension: true,
  // Without an icon link browsers ask for /favicon.ico and get a 404.
  // On a narrow screen the sidebar covers the page, and Framework reopens it on the next page when
  // it was open: a link chosen in it forgets that state, so the new page opens with the menu shut.
  head: `<link rel="icon" href="favicon.svg" type="image/svg+xml">
<script>addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("#observablehq-sidebar a[href]")
      && !matchMedia("(min-width: calc(640px + 6rem + 272px))").matches) sessionStorage.removeItem("observablehq-sidebar");
});</script>`,
  footer: "Distillation planner, after Busbridge et al. (2025), “Distillation Scaling Laws”.",
};
