/** A worker thread of the verifier: checks each page it is sent (checkPage) and hands the result back. */
import { parentPort } from 'node:worker_threads';
import { checkPage, transferables } from './page-check';

parentPort?.on('message', ({ id, page }: { id: number; page: Uint8Array }) => {
  try {
    const checked = checkPage(Buffer.from(page.buffer, page.byteOffset, page.byteLength));
    parentPort!.postMessage({ id, checked }, transferables(checked));
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
