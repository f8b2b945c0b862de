//! A TCP proxy on 127.0.0.1 for fault injection: it forwards to a server until told to stall (hold every byte
//! in both directions, new connections included, as a network that stops forwarding does) or to reset (close
//! every connection it carries).

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub struct Proxy {
    port: u16,
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    stalled: AtomicBool,
    stopped: AtomicBool,
    /// Bytes forwarded from clients to the server.
    upstream_bytes: AtomicU64,
    /// Both ends of every forwarded connection, for `reset` and for dropping the proxy.
    streams: Mutex<Vec<TcpStream>>,
}

impl Proxy {
    /// Forward 127.0.0.1:<new port> to 127.0.0.1:`upstream`.
    pub fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        listener.set_nonblocking(true).expect("nonblocking proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let shared = Arc::new(Shared::default());
        let s = shared.clone();
        thread::spawn(move || accept_loop(listener, upstream, s));
        Proxy { port, shared }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stop forwarding: bytes already sent stay unread, and whatever comes next waits too.
    pub fn stall(&self) {
        self.shared.stalled.store(true, Ordering::SeqCst);
    }

    /// Bytes clients have sent the server through the proxy so far.
    pub fn upstream_bytes(&self) -> u64 {
        self.shared.upstream_bytes.load(Ordering::SeqCst)
    }

    /// Close every connection the proxy carries (both sides see the connection end).
    pub fn reset(&self) {
        for s in self.shared.streams.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        self.reset();
    }
}

fn accept_loop(listener: TcpListener, upstream: u16, shared: Arc<Shared>) {
    while !shared.stopped.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((client, _)) => {
                let _ = client.set_nonblocking(false);
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
                    continue;
                };
                {
                    let mut streams = shared.streams.lock().unwrap();
                    streams.push(client.try_clone().expect("clone a proxied stream"));
                    streams.push(server.try_clone().expect("clone a proxied stream"));
                }
                let a = shared.clone();
                let b = shared.clone();
                thread::spawn(move || pump(client, server, a, true));
                thread::spawn(move || pump(s2, c2, b, false));
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(10)),
            Err(_) => return,
        }
    }
}

/// Copy `from` to `to` (counting the bytes when it is `upstream`, client to server) until either ends, holding everything while the proxy is stalled.
fn pump(mut from: TcpStream, mut to: TcpStream, shared: Arc<Shared>, upstream: bool) {
    let _ = from.set_read_timeout(Some(Duration::from_millis(50)));
    let mut buf = [0u8; 16 * 1024];
    loop {
        if shared.stopped.load(Ordering::SeqCst) {
            break;
        }
        if shared.stalled.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(20));
            continue;
        }
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if upstream {
                    shared.upstream_bytes.fetch_add(n as u64, Ordering::SeqCst);
                }
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
