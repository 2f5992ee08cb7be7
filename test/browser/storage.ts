// Writing a coefficient-set record straight into this browser's IndexedDB, as a set stored by the
// Your runs page (or an older version of the site, or edited in storage) would be there.

import type { Page } from "playwright-core";

/** Writes one record into the store idb-keyval uses ("distillation-planner" / "coefficient-sets"). */
export async function storeRecord(page: Page, id: string, record: unknown): Promise<void> {
  await page.evaluate(async ([key, value]) => {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open("distillation-planner");
      request.onupgradeneeded = () => request.result.createObjectStore("coefficient-sets");
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const transaction = request.result.transaction("coefficient-sets", "readwrite");
        transaction.objectStore("coefficient-sets").put(value, key as string);
        transaction.oncomplete = () => { request.result.close(); resolve(); };
        transaction.onerror = () => reject(transaction.error);
      };
    });
  }, [id, record] as const);
}
