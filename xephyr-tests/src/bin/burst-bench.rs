//! `cargo run --release -p xephyr-tests --bin burst-bench [N...]`: how long a burst of N
//! windows takes to be mapped (and, under a window manager, managed and laid out), and to
//! be destroyed, on the bare X server and under oxtile, in the same run. Prints the median
//! of 5 rounds. Build oxtile first (`cargo build --release`); OXTILE_BIN overrides.

use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, MapState};
use xephyr_tests::{Session, TestClient, XServer};

const ROUNDS: usize = 5;

/// Until every window is viewable (and, with a WM, listed in `_NET_CLIENT_LIST`).
fn wait_mapped(client: &TestClient, wins: &[u32], managed: bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let cookies: Vec<_> = wins
            .iter()
            .map(|&w| client.conn().get_window_attributes(w).expect("request"))
            .collect();
        let viewable = cookies
            .into_iter()
            .map(|c| {
                c.reply()
                    .map(|a| a.map_state == MapState::VIEWABLE)
                    .unwrap_or(false)
            })
            .filter(|v| *v)
            .count();
        let listed = !managed || client.client_list().len() == wins.len();
        if viewable == wins.len() && listed {
            return;
        }
        assert!(Instant::now() < deadline, "windows never all mapped");
    }
}

fn wait_gone(client: &TestClient, managed: bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    if managed {
        while !client.client_list().is_empty() {
            assert!(Instant::now() < deadline, "windows never all unmanaged");
        }
    } else {
        client.round_trip();
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn measure(display: &str, n: usize, managed: bool) -> (Duration, Duration) {
    let mut maps = Vec::new();
    let mut destroys = Vec::new();
    for _ in 0..ROUNDS {
        let client = TestClient::connect(display);
        let start = Instant::now();
        let wins: Vec<u32> = (0..n).map(|_| client.window().map_no_wait()).collect();
        client.conn().flush().expect("flush");
        wait_mapped(&client, &wins, managed);
        maps.push(start.elapsed());
        let start = Instant::now();
        for &w in &wins {
            client.destroy_no_wait(w);
        }
        client.conn().flush().expect("flush");
        wait_gone(&client, managed);
        destroys.push(start.elapsed());
    }
    (median(maps), median(destroys))
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![50, 200]
    } else {
        sizes
    };
    println!(
        "{:<8} {:>6} {:>12} {:>12}",
        "wm", "N", "map (ms)", "destroy (ms)"
    );
    for &n in &sizes {
        let bare = XServer::start();
        let (m, d) = measure(bare.display(), n, false);
        println!("{:<8} {:>6} {:>12.1} {:>12.1}", "none", n, ms(m), ms(d));
        drop(bare);
        let session = Session::start_default();
        let (m, d) = measure(session.display(), n, true);
        println!("{:<8} {:>6} {:>12.1} {:>12.1}", "oxtile", n, ms(m), ms(d));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
