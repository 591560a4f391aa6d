/**
 * The demo page and its script (served as /, /app.js). Plain HTML + an ES module that uses the
 * Signet SDK from /signet.mjs. Kept as strings so the bundled server is one file.
 */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Demo portal — sign and upload</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f24; }
  fieldset { border: 1px solid #c8ccd1; border-radius: 8px; margin: 0 0 1.5rem; padding: 1rem 1.25rem; }
  label { display: block; margin: .5rem 0 .2rem; font-weight: 600; }
  input, textarea { width: 100%; box-sizing: border-box; padding: .45rem; font: inherit; }
  button { margin-top: 1rem; padding: .55rem 1.1rem; font: inherit; border-radius: 6px; border: 1px solid #0b5cad; background: #0b69c7; color: #fff; cursor: pointer; }
  .result { margin-top: 1rem; padding: .75rem 1rem; border-radius: 6px; background: #f3f4f6; white-space: pre-wrap; }
  .result[data-valid="true"] { background: #e6f4ea; color: #0d652d; }
  .result[data-valid="false"] { background: #fce8e6; color: #a50e0e; }
  #status { font-size: .9rem; color: #555; }
</style>
</head>
<body>
<h1>Demo portal</h1>
<p id="status">Checking for Signet…</p>
<form id="form">
<fieldset>
  <legend>Application form</legend>
  <label for="name">Name</label><input id="name" name="name" value="Mari Maasikas" required>
  <label for="email">E-mail</label><input id="email" name="email" type="email" value="mari@example.org">
  <label for="message">Message</label><textarea id="message" name="message" rows="3">I apply for the demo permit.</textarea>
  <button id="sign-upload" type="submit">Sign and upload</button>
  <div id="sign-result" class="result" role="status" aria-live="polite" hidden></div>
</fieldset>
</form>
<fieldset>
  <legend>Sign a file</legend>
  <label for="file">File (PDF → PAdES, other → CAdES .p7s)</label><input id="file" type="file">
  <button id="sign-file" type="button">Sign file and upload</button>
  <div id="file-result" class="result" role="status" aria-live="polite" hidden></div>
</fieldset>
<fieldset>
  <legend>Log in</legend>
  <button id="login" type="button">Log in with card</button>
  <div id="login-result" class="result" role="status" aria-live="polite" hidden></div>
</fieldset>
<script type="module" src="/app.js"></script>
</body>
</html>
`;

export const APP_JS = `import { Signet, toBase64 } from '/signet.mjs';

const config = await (await fetch('/config.json')).json();
const signet = new Signet({ port: config.apiPort });
const $ = (id) => document.getElementById(id);

function show(el, valid, text) {
  el.hidden = false;
  el.dataset.valid = String(valid);
  el.textContent = text;
}
function failure(el, e) {
  show(el, false, e && e.code ? e.code + ': ' + e.message + (e.action ? ' ' + e.action : '') : String(e));
}
async function post(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return r.json();
}
function verdict(v) {
  return v.valid ? 'Signature valid. Signed by ' + v.signer : 'Signature NOT valid: ' + (v.errors || []).join('; ');
}

// The presence probe asks the user nothing: a site not allowed yet learns only that Signet runs.
signet.status().then(
  (s) => {
    $('status').textContent = s.allowed
      ? 'Signet ' + s.version + (s.tokenPresent ? ' — card inserted' : ' — no card inserted')
      : 'Signet is running — it will ask you to allow this site on your first signature';
  },
  (e) => { $('status').textContent = e.message + ' ' + (e.action || ''); },
);

$('form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const out = $('sign-result');
  show(out, '', 'Confirm in Signet…');
  try {
    const fields = Object.fromEntries(new FormData($('form')).entries());
    const form = await post('/api/form-pdf', fields);
    const signed = await signet.signDocument({ name: form.name, content: form.pdfBase64, format: 'pades' });
    const v = await post('/api/upload', { name: signed.name, format: 'pades', documentBase64: toBase64(signed.bytes) });
    show(out, v.valid, verdict(v));
  } catch (e) { failure(out, e); }
});

$('sign-file').addEventListener('click', async () => {
  const out = $('file-result');
  const file = $('file').files[0];
  if (!file) return show(out, false, 'Choose a file first.');
  show(out, '', 'Confirm in Signet…');
  try {
    const isPdf = file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
    // The File goes to Signet as it is (streamed, no base64).
    const signed = await signet.signDocument({ name: file.name, content: file, format: isPdf ? 'pades' : 'cades' });
    const v = isPdf
      ? await post('/api/upload', { name: signed.name, format: 'pades', documentBase64: toBase64(signed.bytes) })
      : await post('/api/upload', { name: file.name, format: 'cades', documentBase64: toBase64(new Uint8Array(await file.arrayBuffer())), signatureBase64: toBase64(signed.bytes) });
    show(out, v.valid, verdict(v));
  } catch (e) { failure(out, e); }
});

$('login').addEventListener('click', async () => {
  const out = $('login-result');
  show(out, '', 'Confirm in Signet…');
  try {
    const { nonce } = await post('/api/challenge', {});
    const token = await signet.authenticate(nonce);
    const v = await post('/api/login', { token });
    show(out, v.valid, v.valid ? 'Logged in as ' + v.subject : 'Login refused: ' + (v.errors || []).join('; '));
  } catch (e) { failure(out, e); }
});
`;
