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
  // Without an icon link browsers ask for /favicon.ico and get a 404.
  head: '<link rel="icon" href="favicon.svg" type="image/svg+xml">',
  footer: "Distillation planner, after Busbridge et al. (2025), “Distillation Scaling Laws”.",
};
