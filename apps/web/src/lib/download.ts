/** Hands a file made in the page to the browser's downloads, named as given. */
export function downloadFile(file: { filename: string; mimeType: string; body: string }) {
  const url = URL.createObjectURL(new Blob([file.body], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started reading the blob by the time this runs.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
