// How tests and tools call this server's /__control/ API (server/control.ts) over HTTP: GET
// without a body, POST with a JSON one. Any answer but 200 is an error that names the call and
// says what the server answered.
export async function callControl<T = Record<string, unknown>>(site: string, name: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(`/__control/${name}`, site), {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`/__control/${name} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}
