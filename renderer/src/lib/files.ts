// Files in and out of the screens: read from a file input, saved as a download (in Electron, the download asks
// where to save it), in the browser preview and the app alike.

/** Hands what `url` holds to the browser's downloads, under `name`. */
export function downloadUrl(url: string, name: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

export function saveFile(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  downloadUrl(url, name);
  // The download has its own copy once started; the next task is late enough.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Today's date for file names, e.g. learners-2024-05-01.json. */
export const today = () => new Date().toISOString().slice(0, 10);
