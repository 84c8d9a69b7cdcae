//! A real NATS server for the federation tests: Debian's `nats-server` on a free port,
//! with its JetStream store in a temporary directory, stopped (and restartable over the
//! same store) by the test; and clients that report the server's errors.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A nats-server with JetStream, stopped when dropped.
pub struct Nats {
    child: Option<Child>,
    port: u16,
    conf: Option<PathBuf>,
    env: Vec<(String, String)>,
    pub url: String,
    pub store_dir: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Nats {
    /// Kills the server (its store stays).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again, on the same port over the same store.
    pub async fn start(&mut self) {
        let mut command = Command::new(nats_server_binary());
        if let Some(conf) = &self.conf {
            command.arg("-c").arg(conf);
        }
        self.child = Some(
            command
                .args([
                    "-a",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-js",
                    "-sd",
                ])
                .arg(&self.store_dir)
                .envs(self.env.iter().map(|(k, v)| (k, v)))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "nats-server did not start");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn nats_server_binary() -> PathBuf {
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")]);
    for dir in candidates {
        let candidate = dir.join("nats-server");
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "nats-server is needed by the federation tests: `apt-get install nats-server` (scripts/test installs it)"
    );
}

/// Starts a nats-server with JetStream on a free port, its store in a new directory.
pub async fn start_nats() -> Nats {
    start_nats_with(None, &[]).await
}

/// The shipped NATS configuration (deploy/nats/hawkari.conf), with these passwords.
pub async fn start_shipped_nats(passwords: &[(&str, &str)]) -> Nats {
    let conf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/nats/hawkari.conf");
    start_nats_with(Some(&conf), passwords).await
}

/// A nats-server on a free port with its JetStream store in a new directory, with a
/// configuration file (its port and store overridden) and environment if given.
async fn start_nats_with(conf: Option<&Path>, env: &[(&str, &str)]) -> Nats {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut nats = Nats {
        child: None,
        port,
        conf: conf.map(Path::to_owned),
        env: env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        url: format!("nats://127.0.0.1:{port}"),
        store_dir: dir.path().join("jetstream"),
        _dir: dir,
    };
    nats.start().await;
    nats
}

/// A NATS client signed in as `user`, and the server errors it is sent.
pub async fn nats_client(
    nats: &Nats,
    user: &str,
    password: &str,
) -> (
    async_nats::Client,
    tokio::sync::mpsc::UnboundedReceiver<String>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let client = async_nats::ConnectOptions::new()
        .user_and_password(user.into(), password.into())
        .custom_inbox_prefix(format!("_INBOX_{user}"))
        .event_callback(move |event| {
            let tx = tx.clone();
            async move {
                if let async_nats::Event::ServerError(e) = event {
                    let _ = tx.send(e.to_string());
                }
            }
        })
        .connect(nats.url.as_str())
        .await
        .unwrap();
    (client, rx)
}

/// The next server error a client is sent (within a few seconds).
pub async fn next_error(rx: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> String {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("the server said nothing")
        .unwrap()
}
