// One worker of the ensemble pool (ensemblePool.ts starts them): poolSlices.ts's API over comlink.

import * as Comlink from "comlink";
import { poolWorkerApi } from "./poolSlices.js";

Comlink.expose(poolWorkerApi());
