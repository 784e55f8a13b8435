// Every document of a collection that is not soft-deleted, a page at a time along its (is_deleted, created_time)
// index, so a long read gives the event loop back between pages and each page is a range of the index (paging by
// id would scan the whole collection per page: RxDB plans no index on the id alone). Pages are read from the storage
// as plain data, planned by RxDB as its own queries are: no RxDocument is made for a document only counted.

/** Documents per page: small enough that no page holds the event loop for long. */
export const PAGE = 1000;

export type Pages = {
  find(query: object): { getPreparedQuery(): unknown };
  storageInstance: { query(prepared: never): Promise<{ documents: unknown[] }> };
};

interface Timed {
  uuid: string;
  created_time: string;
}

/**
 * Each page starts after the last registration time taken. A page's last instant is read again with the next page
 * (documents of one instant may straddle two pages), unless the whole page is that one instant: then every document
 * of it is read at once.
 */
export async function readLive<T extends Timed>(collection: Pages, take: (doc: T) => void, pageSize = PAGE): Promise<void> {
  const sort = [{ created_time: 'asc' }, { uuid: 'asc' }];
  const read = async (selector: object, limit?: number) => {
    const query = collection.find({ selector: { is_deleted: false, ...selector }, sort, ...(limit === undefined ? {} : { limit }) });
    return (await collection.storageInstance.query(query.getPreparedQuery() as never)).documents as T[];
  };
  let after = '';
  for (;;) {
    const page = await read({ created_time: { $gt: after } }, pageSize);
    if (page.length < pageSize) {
      page.forEach(take);
      return;
    }
    const last = page.at(-1)!.created_time;
    if (page[0]!.created_time === last) {
      (await read({ created_time: last })).forEach(take);
      after = last;
      continue;
    }
    for (const doc of page) {
      if (doc.created_time === last) break;
      take(doc);
      after = doc.created_time;
    }
  }
}
