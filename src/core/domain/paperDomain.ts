// The validity domain of the paper's Table 6, computed once: the box of the paper's design
// (parametricBootstrap.ts's paperDesignDomain, the same the build writes into fits.json).

import { TABLE6 } from "../laws/laws.js";
import { paperDesignDomain } from "../ensemble/parametricBootstrap.js";
import type { ValidityDomain } from "./validity.js";

let cached: ValidityDomain | null = null;

export function paperDomain(): ValidityDomain {
  cached ??= paperDesignDomain(TABLE6);
  return cached;
}
