// Settings: where journeys are published (the built-in runtime, or a shared one).
import { useEffect, useState } from "react";
import { api, errorMessage, type RuntimeTarget } from "../ipc";

export function RuntimeSettings() {
  const [target, setTarget] = useState<RuntimeTarget | null>(null);
  const [remote, setRemote] = useState(false);
  const [url, setUrl] = useState("");
  const [token, setToken] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    api.runtimeTarget().then(
      (t) => {
        setTarget(t);
        setRemote(t.kind === "remote");
        if (t.kind === "remote") {
          setUrl(t.url);
          setToken(t.token);
        }
      },
      (e) => setMessage({ ok: false, text: errorMessage(e) }),
    );
  }, []);
  const save = async () => {
    try {
      const t = await api.setRuntimeTarget(remote ? { kind: "remote", url, token } : { kind: "embedded" });
      setTarget(t);
      setMessage({ ok: true, text: t.kind === "remote" ? `Publishing to ${t.url}.` : "Publishing to the built-in runtime." });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };
  return (
    <section className="card" style={{ marginTop: 16 }} data-testid="runtime-settings">
      <h2 className="card-title">Runtime</h2>
      <p className="muted">
        Published journeys run here. The built-in runtime runs inside this app and calls through the contact-center simulator; a team points every designer at
        one shared runtime.
      </p>
      <label className="row row-center">
        <input type="radio" checked={!remote} onChange={() => setRemote(false)} /> Built-in runtime (this computer)
      </label>
      <label className="row row-center">
        <input type="radio" checked={remote} onChange={() => setRemote(true)} /> Shared runtime
      </label>
      {remote ? (
        <div className="stack">
          <input className="input" aria-label="Runtime URL" placeholder="http://10.0.0.5:8080" value={url} onChange={(e) => setUrl(e.target.value)} />
          <input className="input" aria-label="Runtime token" placeholder="Token" type="password" value={token} onChange={(e) => setToken(e.target.value)} />
        </div>
      ) : null}
      {message ? <div className={`banner ${message.ok ? "banner-ok" : "banner-error"}`}>{message.text}</div> : null}
      <div className="row">
        <div className="spacer" />
        <button type="button" className="btn" disabled={target === null} onClick={() => void save()}>
          Save
        </button>
      </div>
    </section>
  );
}
