// Writes data/table13-models.csv for the pages (FileAttachment and DuckDB) from the core's Table 13.
import { table13Csv } from "../core/laws/table13.js";

process.stdout.write(table13Csv());
