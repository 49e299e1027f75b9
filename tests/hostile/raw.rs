//! A raw HTTP/1.1 server on 127.0.0.1 whose every byte a test decides: it
//! parses each request, records it, and hands the connection to the test's
//! handler, which may answer properly, trickle, stall, lie about framing,
//! redirect or hang up.
//!
//! Everything is bounded: a connection waits at most [`IDLE`] for a request,
//! request heads are cut at [`MAX_HEAD`], and the server stops when dropped.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a connection waits for its next request before it is closed.
const IDLE: Duration = Duration::from_secs(10);

/// The longest request head (request line and headers) read.
const MAX_HEAD: usize = 64 * 1024;

/// A request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// The request target, e.g. `/api/v2/tokens/me?x=1`.
    pub target: String,
    /// Header names in lower case, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The head was longer than [`MAX_HEAD`] and was not read whole.
    pub oversized: bool,
    /// When its head had arrived.
    pub at: Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// What the connection does after the handler has answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// Read the next request on the same connection.
    KeepAlive,
    /// Close the connection.
    Close,
}

/// The handler's end of one connection.
pub struct Conn {
    stream: TcpStream,
    /// The index of the request being answered, over the whole server.
    pub index: usize,
}

impl Conn {
    /// Writes raw bytes; an error means the client hung up.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// A complete response with a `Content-Length`.
    pub fn respond(&mut self, status: u16, headers: &[(&str, &str)], body: &[u8]) -> After {
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        match self.write(&bytes) {
            Ok(()) => After::KeepAlive,
            Err(_) => After::Close,
        }
    }

    /// A JSON response.
    pub fn json(&mut self, status: u16, body: &serde_json::Value) -> After {
        self.respond(
            status,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    }

    /// A response head announcing `length` bytes (or chunked when `None`),
    /// then `length` bytes (at most `cap`) of filler in 64 KiB writes until
    /// the client hangs up. Returns how many body bytes were written.
    pub fn flood(&mut self, status: u16, length: Option<u64>, cap: u64) -> u64 {
        let framing = match length {
            Some(n) => format!("Content-Length: {n}"),
            None => "Transfer-Encoding: chunked".to_owned(),
        };
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\n{framing}\r\n\r\n",
            reason(status)
        );
        if self.write(head.as_bytes()).is_err() {
            return 0;
        }
        let block = vec![b' '; 64 * 1024];
        let mut written = 0u64;
        while written < cap {
            let result = match length {
                Some(_) => self.stream.write_all(&block),
                None => self
                    .stream
                    .write_all(format!("{:x}\r\n", block.len()).as_bytes())
                    .and_then(|()| self.stream.write_all(&block))
                    .and_then(|()| self.stream.write_all(b"\r\n")),
            };
            if result.is_err() {
                break;
            }
            written += block.len() as u64;
        }
        written
    }

    /// Waits, holding the connection open.
    pub fn pause(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

type Handler = dyn Fn(&Received, &mut Conn) -> After + Send + Sync;

/// A server on 127.0.0.1; stops when dropped.
pub struct RawServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl RawServer {
    /// Starts a server answering every request with `handler`.
    pub fn start(
        handler: impl Fn(&Received, &mut Conn) -> After + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on 127.0.0.1");
        let addr = listener.local_addr().expect("the listener's address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = {
            let (received, stop) = (received.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (received, stop, handler) =
                        (received.clone(), stop.clone(), handler.clone());
                    std::thread::spawn(move || serve(stream, &received, &stop, &*handler));
                }
            })
        };
        RawServer {
            addr,
            received,
            stop,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The requests received so far for `path`.
    pub fn received_at(&self, path: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.path() == path)
            .collect()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn serve(stream: TcpStream, received: &Mutex<Vec<Received>>, stop: &AtomicBool, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        let index = {
            let mut all = received.lock().unwrap();
            all.push(request.clone());
            all.len() - 1
        };
        let Ok(write_half) = stream.try_clone() else {
            return;
        };
        let mut conn = Conn {
            stream: write_half,
            index,
        };
        if request.oversized || handler(&request, &mut conn) == After::Close {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

/// Reads one request; `None` when the connection closed or stayed idle.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Received> {
    let mut head = Vec::new();
    let mut oversized = false;
    loop {
        let mut line = Vec::new();
        let n = reader
            .by_ref()
            .take((MAX_HEAD + 1) as u64)
            .read_until(b'\n', &mut line)
            .ok()?;
        if n == 0 {
            return None;
        }
        if head.len() + line.len() > MAX_HEAD {
            oversized = true;
            break;
        }
        let end = line == b"\r\n" || line == b"\n";
        head.extend_from_slice(&line);
        if end {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_owned();
    let target = first.next().unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut request = Received {
        method,
        target,
        headers,
        body: Vec::new(),
        oversized,
        at: Instant::now(),
    };
    if !oversized {
        let length: usize = request
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length.min(16 * 1024 * 1024)];
        reader.read_exact(&mut body).ok()?;
        request.body = body;
    }
    Some(request)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}
