//! [Stoplight Prism](https://github.com/stoplightio/prism) 5.14.2, a validating OpenAPI mock
//! server, run from the integration tests.
//!
//! Prism is pinned by `tests/prism/package.json` and `tests/prism/package-lock.json` and installed
//! by `tests/prism/install.sh` into `target/prism/` (never into the source tree), either by
//! [`ensure_installed`] on first use or by `.ci/run` before the tests. It needs Node.js >= 18.20.1
//! with npm. [`Prism::start`] runs `node ENTRY mock -h 127.0.0.1 -p PORT SPEC` on a free port with
//! its output in a log file under `target/prism/logs/` (kept when the test panics, removed
//! otherwise), and dropping the [`Prism`] kills it.
//!
//! # What Prism 5.14.2 does (checked by hand with curl on Node 20)
//!
//! **Loading.** Every file in `tests/fixtures/` and `spec/openapi.yaml` loads. `$ref`s into
//! `#/paths/...` with percent-encoded segments (`#/paths/~1things~1%7Bid%7D/...`, odd_refs.yaml)
//! and to names with `%20` (refs.yaml) resolve. A spec that cannot load makes Prism exit 1 with a
//! `[CLI] ✖  fatal` line naming the problem (`at "#/paths/~1a/...", token "components" in
//! "#/components/schemas/Missing" does not exist`; `Error parsing FILE: ... at line 3, column 1`;
//! `No operations found in the current file.` for a spec without paths or for Swagger 2.0 without
//! operations), followed by its `--help` text and a dump of the error object. A port already in use
//! is `fatal` with an empty message and `listen EADDRINUSE: address already in use HOST:PORT` at
//! the end of the log; [`Prism::start`] then retries on another port. Ready is the log line
//! `[CLI] ▶  start     Prism is listening on http://127.0.0.1:PORT` (about 2 s on an idle machine,
//! 20 s or more with many starting at once on 2 cores).
//!
//! **Invalid request.** When no response for it is in the spec, Prism answers
//! `422 Unprocessable Entity`, `content-type: application/problem+json`, body
//! `{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request",
//! "status":422,"detail":"Your request is not valid and no HTTP validation response was found in the
//! spec, so Prism is generating this error for you.","validation":[{"location":["path","id"],
//! "severity":"Error","code":"maxLength","message":"Request path parameter id must NOT have more
//! than 32 characters"}]}` (one `validation` entry per problem; `location` is `["body","metadata"]`,
//! `["query","n"]`, `["header"]`, ...; `code` is the JSON-schema keyword). When the spec defines
//! a fitting response, Prism answers with it instead: one covering 422 (`422`, or a `4XX` range
//! sent with status 422), else `400`, else `default` (sent with status 422); other 4xx codes are
//! not used. Its body is the example or one generated from its schema, and an `sl-violations`
//! header carries the same array (locations prefixed with `"request"`). `--errors` changes nothing
//! for invalid requests.
//!
//! **Other refusals** (all `application/problem+json`, no `validation` array): a body with a media
//! type the operation does not list, or with no `content-type`, is `415` ("Supported content
//! types: application/json"); a missing required body is 422 "Body parameter is required"; a
//! malformed JSON body is `400 {"error":{"code":"invalid_json","message":"Invalid JSON"}}` and is
//! *not logged* at all; an unknown path is `404 NO_PATH_MATCHED_ERROR`, a known path with another
//! method `405 NO_METHOD_MATCHED_ERROR`; an `Accept` the operation cannot produce is `406`.
//!
//! **Security is validated**, with the operation's `security` replacing the global one:
//! alternatives are OR-ed, schemes inside one requirement AND-ed (`X-Auth-Key` without
//! `X-Auth-Email` fails). A bearer scheme needs `Authorization: Bearer <non-empty token>`, and
//! Prism matches `Bearer` case-sensitively (`bearer tok` is refused). apiKey in header, query and
//! cookie work. Failing it gives `401`, `WWW-Authenticate: Bearer` (for bearer schemes) and
//! `{"type":"https://stoplight.io/prism/errors#UNAUTHORIZED","title":"Invalid security scheme
//! used","status":401,"detail":"Your request does not fullfil the security requirements and no HTTP
//! unauthorized response was found in the spec, so Prism is generating this error for you.",
//! "headers":{"WWW-Authenticate":"Bearer"}}`, or the spec's own `401` response with an
//! `sl-violations` header. Security wins over other problems: missing auth and a bad path parameter
//! give 401 (both are logged).
//!
//! **multipart/form-data** is validated: a `content-type` without `boundary` is `415` ("Boundary
//! parameter for multipart/form-data is not defined or generated in the request header..."), a
//! body whose parts do not match the boundary is read as empty (so "must have required property").
//! Each part is checked against its property schema: required parts, `maxLength` on a file part's
//! bytes, `integer` and `maximum` on a text part (numbers are coerced from the text). Every part is
//! a string, so a property of type `object` can never pass: a JSON part (with
//! `type=application/json`, and even with `encoding: {contentType: application/json}` in the spec)
//! fails with "Request body property metadata must be object".
//!
//! **application/octet-stream and text/plain** bodies are checked for presence (when required), for
//! the media type (text/plain with `; charset=utf-8` is fine) and against a string schema
//! (`maxLength` and `pattern` are enforced on the raw text/bytes).
//!
//! **Which response.** Static mode (the default) answers with the lowest-numbered 2xx response (not
//! the first in the file: 200 before 201 before 204), or, with no 2xx, the lowest-numbered one. Its
//! body is the media type's `example`, else the first of its `examples`, else one built from the
//! schema (strings `"string"`, numbers `0`, first enum value, date-times `2019-08-24T14:15:22Z`).
//! A response with no content gets an empty body. The `Prefer` request header picks another: `Prefer: code=404`,
//! `Prefer: example=second`, `Prefer: code=200, example=second`, `Prefer: dynamic=true`; an
//! undefined code or example is `404` problem+json ("Requested status code 500 is not defined in
//! the document."). Dynamic mode (`-d`, [`Prism::start_dynamic`]) generates random data from the
//! schema with json-schema-faker, and by default adds extra properties.
//!
//! **sl-violations header**: sent, as a JSON array of `{location, severity, code, message}`, when
//! Prism still answers with a response from the spec: request violations answered by the spec's
//! 4xx/401 response, warnings (`deprecated` parameters: severity `"Warning"`, status 200), and
//! Prism's own response breaking the spec (`["response","body","flag"]` when an example or default
//! does not match its schema). Not sent with Prism's generated 422/401 problem responses. With
//! `--errors`, a response violation turns the answer into
//! `500 https://stoplight.io/prism/errors#VIOLATIONS`.
//!
//! **The log** (stdout; no ANSI colours when it is not a terminal, and [`Prism::start`] also sets
//! `NO_COLOR` and `FORCE_COLOR=0`) has one line per event, `[5:40:17 PM] › [SCOPE] ICON  level
//! message`. For each request: `[HTTP SERVER] post /path ℹ  info      Request received`, then on a
//! problem `    [VALIDATOR] ⚠  warning   Request did not pass the validation rules` followed by one
//! `    [VALIDATOR] ✖  error     <message>` per violation (the same message as in the body:
//! `Request path parameter id must NOT have more than 32 characters`, `Invalid security scheme
//! used`, `Request body must have required property 'script'`, `Supported content types:
//! text/plain`), and `[HTTP SERVER] post /path ✖  error     Request terminated with error:
//! https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request`. A warning-level
//! violation is `[VALIDATOR] ⚠  warning   Query param old is deprecated`. After answering with a
//! spec response, Prism repeats each violation as `[VALIDATOR] ✖  error     Violation:
//! request.path.widget_id <message>` (`Violation: request <message>` for security) and reports its
//! own response problems as `Violation: response.body.n Response body property n must be integer`.
//! A valid request logs `[VALIDATOR] ✔  success   The request passed the validation rules.`.
//!
//! **Fixture quirks.** In odd_refs.yaml, `GET /things/{id}` declares a path parameter `ghost` that
//! is not in the template, so every request to it is 422 ("Request path must have required property
//! 'ghost'"), and the example built for `/copies/..` breaks its own schema (`flag` default `"true"`
//! is not a boolean: an `sl-violations` header on every answer). uploads.yaml's
//! `metadata: {type: object}` part can never validate (see multipart above).

use std::fs::{self, File};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::repo;

/// Prism's entry point inside the install directory (what `node_modules/.bin/prism` links to).
const ENTRY: &str = "node_modules/@stoplight/prism-cli/dist/index.js";
/// How long Prism may take to listen.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Ports tried before giving up when each turns out to be taken by the time Prism binds it.
const PORT_ATTEMPTS: usize = 5;
/// The log line that tells Prism is ready.
const LISTENING: &str = "Prism is listening on";

/// The path of Prism's executable entry point (`target/prism/node_modules/@stoplight/prism-cli/
/// dist/index.js`, a node script), installed from `tests/prism/package-lock.json` with
/// `tests/prism/install.sh` when missing or installed from another lock. Safe to call from
/// parallel tests and processes. Panics with the reason when node or npm is missing or the install
/// fails: tests that need Prism never skip.
pub fn ensure_installed() -> PathBuf {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    INSTALLED.get_or_init(install).clone()
}

fn install() -> PathBuf {
    let root = repo();
    let dir = root.join("target/prism");
    let entry = dir.join(ENTRY);
    let lock_file = root.join("tests/prism/package-lock.json");
    let lock = fs::read(&lock_file).unwrap_or_else(|e| panic!("cannot read {}: {e}", lock_file.display()));
    let current = || entry.is_file() && fs::read(dir.join(".installed")).is_ok_and(|installed| installed == lock);
    if current() {
        return entry;
    }
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    // Another test binary may be installing at the same moment: one at a time.
    let guard = File::create(dir.join(".install-lock")).unwrap_or_else(|e| panic!("cannot create a lock file: {e}"));
    guard.lock().unwrap_or_else(|e| panic!("cannot lock {}: {e}", dir.join(".install-lock").display()));
    if current() {
        return entry;
    }
    let script = root.join("tests/prism/install.sh");
    let out = Command::new("bash")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `bash {}` to install Prism: {e}", script.display()));
    if !out.status.success() || !entry.is_file() {
        panic!(
            "installing Prism (bash tests/prism/install.sh) failed ({}): it needs Node.js >= 18.20.1 with npm \
             (Debian: apt-get install -y nodejs npm) and the npm registry\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    entry
}

/// A running Prism mock server; dropping it kills the process.
pub struct Prism {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
    pub port: u16,
    child: Child,
    log_path: PathBuf,
}

enum Start {
    Ready,
    PortTaken,
    Failed(String),
}

impl Prism {
    /// Starts `prism mock` (static mode: examples, then schema-built bodies) on `spec` and waits
    /// until it listens. Panics with the log's important lines if Prism cannot load the spec, exits,
    /// or is not listening within 60 s.
    pub fn start(spec: &Path) -> Prism {
        Prism::start_with_args(spec, &[])
    }

    /// Like [`Prism::start`], in dynamic mode (`-d`): bodies are random data built from the schemas.
    pub fn start_dynamic(spec: &Path) -> Prism {
        Prism::start_with_args(spec, &["-d"])
    }

    /// Like [`Prism::start`], with extra `prism mock` options, such as `["--errors"]` (a response
    /// that breaks the spec becomes a 500) or `["-d", "--seed", "1"]`.
    pub fn start_with_args(spec: &Path, args: &[&str]) -> Prism {
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let entry = ensure_installed();
        let spec =
            spec.canonicalize().unwrap_or_else(|e| panic!("Prism: cannot open the spec {}: {e}", spec.display()));
        let logs = repo().join("target/prism/logs");
        fs::create_dir_all(&logs).unwrap_or_else(|e| panic!("cannot create {}: {e}", logs.display()));
        let watchdog = repo().join("tests/prism/exit-with-parent.cjs");
        let stem = spec.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        for _ in 0..PORT_ATTEMPTS {
            let port = free_port();
            let n = STARTED.fetch_add(1, Ordering::Relaxed);
            let log_path = logs.join(format!("{stem}-{}-{n}.log", std::process::id()));
            let log = File::create(&log_path).unwrap_or_else(|e| panic!("cannot create {}: {e}", log_path.display()));
            let err = log.try_clone().unwrap_or_else(|e| panic!("cannot share {}: {e}", log_path.display()));
            // The real node entry point, not npm's or npx's wrapper: killing this process kills
            // Prism. Its stdin is a pipe this process holds, and the watchdog exits node when it
            // closes, so Prism also goes when a test process dies without running Drop.
            let child = Command::new("node")
                .arg("--require")
                .arg(&watchdog)
                .arg(&entry)
                .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
                .args(args)
                .arg(&spec)
                .env("NO_COLOR", "1")
                .env("FORCE_COLOR", "0")
                .stdin(Stdio::piped())
                .stdout(log)
                .stderr(err)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start Prism with `node` (Node.js >= 18.20.1 is needed): {e}"));
            let mut prism = Prism { url: format!("http://127.0.0.1:{port}"), port, child, log_path };
            match prism.wait_until_listening() {
                Start::Ready => return prism,
                Start::PortTaken => continue,
                Start::Failed(why) => {
                    let summary = summarize(&prism.log());
                    panic!(
                        "Prism could not start on {}: {why}\nlog: {}\n{summary}",
                        spec.display(),
                        prism.log_path.display()
                    );
                }
            }
        }
        panic!("Prism: no free port after {PORT_ATTEMPTS} attempts (each was taken before Prism could bind it)");
    }

    fn wait_until_listening(&mut self) -> Start {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if self.log().contains(LISTENING) && TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok() {
                return Start::Ready;
            }
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    return if self.log().contains("EADDRINUSE") {
                        Start::PortTaken
                    } else {
                        Start::Failed(format!("Prism exited ({status}) before listening"))
                    };
                }
                Ok(None) => {}
                Err(e) => return Start::Failed(format!("cannot watch the Prism process: {e}")),
            }
            if Instant::now() > deadline {
                return Start::Failed(format!("not listening after {} s", START_TIMEOUT.as_secs()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything Prism printed so far (stdout and stderr), without ANSI colour codes.
    pub fn log(&self) -> String {
        let bytes = fs::read(&self.log_path).unwrap_or_default();
        strip_ansi(&String::from_utf8_lossy(&bytes))
    }

    /// The file Prism's output goes to (kept after a panicking test, removed otherwise).
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// Every request problem Prism reported so far, one log line each (timestamp included, any
    /// continuation lines joined with `\n`), in order:
    /// - each `[VALIDATOR] ✖  error     <message>` and `[VALIDATOR] ⚠  warning   <message>` line
    ///   (path, query, header, body, content-type, security problems and deprecations), but not the
    ///   summary `Request did not pass the validation rules` nor the `Violation: ...` lines Prism
    ///   prints after answering (repeats of the request's lines, or problems of its own response:
    ///   see [`Prism::response_violations`]);
    /// - each `[HTTP SERVER] <method> <path> ✖  error     Request terminated with error:` line for
    ///   a route the spec does not have (`NO_PATH_MATCHED_ERROR`, `NO_METHOD_MATCHED_ERROR`),
    ///   which Prism reports without a validator line.
    ///
    /// A malformed JSON body (answered 400 before validation) leaves no trace in the log.
    /// Prism logs a request's problems before it answers (the smoke test reads them right after
    /// the response); [`Prism::wait_for_log`] waits for a line when in doubt.
    pub fn violations(&self) -> Vec<String> {
        request_problems(&self.log())
    }

    /// The lines where Prism reports that its own answer breaks the spec
    /// (`[VALIDATOR] ✖  error     Violation: response.body.n Response body property n must be
    /// integer`): an example or schema-built body that does not match its schema.
    pub fn response_violations(&self) -> Vec<String> {
        entries(&self.log())
            .into_iter()
            .filter(|entry| validator_problem(entry).is_some_and(|m| m.starts_with("Violation: response")))
            .collect()
    }

    /// Waits until the log contains `needle`; false after `timeout`.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.log().contains(needle) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("Prism's log: {}", self.log_path.display());
        } else {
            let _ = fs::remove_file(&self.log_path);
        }
    }
}

/// A port nobody listens on right now (another process may take it before Prism binds it:
/// [`Prism::start`] retries then).
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0 to find a free port: {e}"))
        .port()
}

/// See [`Prism::violations`].
fn request_problems(log: &str) -> Vec<String> {
    entries(log)
        .into_iter()
        .filter(|entry| match validator_problem(entry) {
            Some(message) => {
                message != "Request did not pass the validation rules" && !message.starts_with("Violation: ")
            }
            None => {
                entry.contains("[HTTP SERVER]")
                    && (entry.contains("#NO_PATH_MATCHED_ERROR") || entry.contains("#NO_METHOD_MATCHED_ERROR"))
            }
        })
        .collect()
}

/// For a `[VALIDATOR]` line at warning or error level, its message.
fn validator_problem(entry: &str) -> Option<&str> {
    let rest = entry.split_once("[VALIDATOR] ")?.1.trim_start();
    let rest = rest.strip_prefix('✖').or_else(|| rest.strip_prefix('⚠'))?.trim_start();
    let rest = rest.strip_prefix("error").or_else(|| rest.strip_prefix("warning"))?;
    Some(rest.trim())
}

/// The log split into events: a line starting with `[TIME] ›` begins one; other lines (a message
/// spanning lines, a stack trace) belong to the event before.
fn entries(log: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in log.lines() {
        let starts_event = line.starts_with('[') && line.find("] ›").is_some_and(|i| i < 16);
        match out.last_mut() {
            Some(last) if !starts_event => {
                last.push('\n');
                last.push_str(line);
            }
            _ => out.push(line.trim_end().to_string()),
        }
    }
    out
}

/// The `fatal` lines (what went wrong), then the end of the log, without Prism's `--help` text.
fn summarize(log: &str) -> String {
    let mut kept = Vec::new();
    let (mut in_help, mut in_options) = (false, false);
    for line in log.lines() {
        if line.starts_with("prism mock <document>") {
            in_help = true;
        }
        if in_help {
            in_options |= line == "Options:";
            if in_options && line.trim().is_empty() {
                in_help = false;
                in_options = false;
            }
            continue;
        }
        kept.push(line);
    }
    let fatal: Vec<String> = entries(&kept.join("\n"))
        .into_iter()
        .filter(|e| e.contains("✖  fatal"))
        // The message, without the error object Prism dumps after it.
        .map(|e| e.lines().take_while(|l| !l.trim().is_empty() && *l != "{").collect::<Vec<_>>().join("\n"))
        .collect();
    let fatal = if fatal.is_empty() { "(none)".to_string() } else { fatal.join("\n") };
    let tail = kept[kept.len().saturating_sub(25)..].join("\n");
    format!("fatal: {fatal}\n--- end of the log ---\n{tail}")
}

/// Removes ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "[5:40:17 PM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:4101
[5:40:17 PM] › [HTTP SERVER] post /a ℹ  info      Request received
[5:40:17 PM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules
[5:40:17 PM] ›     [VALIDATOR] ✖  error     Request path parameter id must match pattern \"^[a-z]+$\"
[5:40:17 PM] ›     [VALIDATOR] ✖  error     Violation: request.path.id Request path parameter id must match pattern
[5:40:17 PM] ›     [VALIDATOR] ✖  error     Violation: response.body.n Response body property n must be integer
[5:40:17 PM] ›     [VALIDATOR] ⚠  warning   Query param old is deprecated
[5:40:17 PM] ›     [VALIDATOR] ✔  success   The request passed the validation rules. Looking for the best response
[5:40:22 PM] › [HTTP SERVER] get /nope ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved, no path matched
[5:40:22 PM] › [HTTP SERVER] post /a ✖  error     Request terminated with error: https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request
";

    #[test]
    fn picks_request_problems_from_the_log() {
        let problems = request_problems(LOG);
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].ends_with("Request path parameter id must match pattern \"^[a-z]+$\""));
        assert!(problems[1].ends_with("Query param old is deprecated"));
        assert!(problems[2].contains("get /nope"));
    }

    #[test]
    fn strips_colours_and_help() {
        assert_eq!(strip_ansi("\u{1b}[31m✖\u{1b}[39m  \u{1b}[1merror\u{1b}[22m"), "✖  error");
        let log = "[5:41:43 PM] › [CLI] ✖  fatal     \nprism mock <document>\n\nStart\n\nOptions:\n  -p  port\n\nlisten EADDRINUSE: address already in use 127.0.0.1:4201\n";
        let summary = summarize(log);
        assert!(
            summary.contains("fatal") && summary.contains("EADDRINUSE") && !summary.contains("-p  port"),
            "{summary}"
        );
    }
}
