// Hands bytes the app fetched (a zip of configs) to the browser as a download.
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the URL only has to outlive this tick.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
