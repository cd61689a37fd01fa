//! The widget's behaviour from its news: counts and colours on the bar, faults as states,
//! the hook's arguments, the popup's flow down to an action on a (fake) backend.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::*;
use crate::testing::{render, render_opts};

fn c(name: &str, state: State) -> Container {
    Container {
        backend: "lxd".into(),
        name: name.into(),
        state,
        address: (state == State::Running).then(|| "10.0.0.2".to_string()),
        project: Some("default".into()),
        location: None,
        id: name.into(),
    }
}

fn spec(kind: &str) -> BackendSpec {
    BackendSpec::parse(&json!(kind)).expect("spec")
}

fn widget(kinds: &[&str]) -> Containers {
    let timing = Timing {
        interval: Duration::from_secs(5),
        retry: Duration::from_millis(500),
        retry_max: Duration::from_secs(30),
    };
    Containers::new(
        kinds.iter().map(|k| spec(k)).collect(),
        timing,
        Duration::from_secs(5),
    )
}

fn snapshot(w: &mut Containers, backend: usize, list: Vec<Container>) -> (bool, Vec<Request>) {
    w.take(News::Snapshot {
        backend,
        containers: list,
    })
}

#[test]
fn counts_per_state_are_shown_with_their_colours() {
    let mut w = widget(&["lxd"]);
    assert_eq!(w.text(), "▶0", "nothing known yet");
    let (changed, _) = snapshot(
        &mut w,
        0,
        vec![
            c("a", State::Running),
            c("b", State::Running),
            c("d", State::Running),
            c("e", State::Frozen),
            c("f", State::Stopped),
            c("g", State::Stopped),
        ],
    );
    assert!(changed);
    assert_eq!(w.text(), "▶3 ❚❚1 ■2");
    let canvas = render(&mut w, 24);
    let near = |want: u32| {
        move |p: u32| {
            let ch = |v: u32, s: u32| ((v >> s) & 0xff) as i32;
            (0..3).all(|k| (ch(p, k * 8) - ch(want, k * 8)).abs() < 40)
        }
    };
    assert!(canvas.count_color(near(0x50fa7b)) > 5, "running in green");
    assert!(canvas.count_color(near(0x8be9fd)) > 5, "frozen in cyan");
    assert!(canvas.count_color(near(0x9e9e9e)) > 5, "stopped in grey");
    assert_eq!(canvas.count_color(near(0xff5555)), 0, "no fault, no red");
}

#[test]
fn an_unchanged_list_does_not_redraw() {
    let mut w = widget(&["lxd"]);
    assert!(snapshot(&mut w, 0, vec![c("a", State::Running)]).0);
    assert!(!snapshot(&mut w, 0, vec![c("a", State::Running)]).0);
}

#[test]
fn a_daemon_that_goes_away_is_a_state_and_comes_back() {
    let mut w = widget(&["lxd", "podman"]);
    snapshot(&mut w, 0, vec![c("a", State::Running)]);
    snapshot(&mut w, 1, vec![]);
    let (changed, _) = w.take(News::Fault {
        backend: 0,
        fault: Fault::NotRunning("/var/lib/lxd/unix.socket".into()),
    });
    assert!(changed);
    assert_eq!(w.text(), "▶0 lxd: not running");
    let st = w.state();
    assert_eq!(st["backends"][0]["status"], "not running");
    assert_eq!(st["backends"][1]["status"], "ok");
    assert_eq!(
        st["containers"],
        json!([]),
        "an unreachable daemon's containers are unknown"
    );
    let red = render(&mut w, 24).count_color(|p| {
        let (r, g) = ((p >> 16) & 0xff, (p >> 8) & 0xff);
        r > 200 && g < 130
    });
    assert!(red > 10, "the fault is drawn in red");
    // The same fault again changes nothing.
    let (changed, _) = w.take(News::Fault {
        backend: 0,
        fault: Fault::NotRunning("/var/lib/lxd/unix.socket".into()),
    });
    assert!(!changed);
    snapshot(&mut w, 0, vec![c("a", State::Running)]);
    assert_eq!(w.text(), "▶1");
    assert_eq!(w.state()["backends"][0]["status"], "ok");
}

#[test]
fn a_bad_answer_keeps_the_last_good_list_and_says_so() {
    let mut w = widget(&["podman"]);
    snapshot(
        &mut w,
        0,
        vec![c("a", State::Running), c("b", State::Stopped)],
    );
    w.take(News::Fault {
        backend: 0,
        fault: Fault::BadAnswer("expected value at line 1 column 1".into()),
    });
    assert_eq!(
        w.text(),
        "▶1 ■1 podman: bad answer: expected value at line 1 column 1"
    );
    assert_eq!(w.state()["containers"].as_array().map(Vec::len), Some(2));
    assert_eq!(w.state()["backends"][0]["status"], "bad answer");
}

#[test]
fn no_access_names_the_socket_and_the_group_to_join() {
    let mut w = widget(&["lxd"]);
    w.start_with(
        vec![spec("lxd").build(Duration::from_secs(1))],
        Arc::new(|| {}),
    );
    w.take(News::Fault {
        backend: 0,
        fault: Fault::NoAccess("/var/lib/lxd/unix.socket".into()),
    });
    assert!(
        w.text().ends_with(
            "lxd: no access to /var/lib/lxd/unix.socket — add yourself to the lxd group"
        ),
        "{}",
        w.text()
    );
}

#[test]
fn the_hook_gets_backend_name_old_and_new_state_but_not_for_the_first_list() {
    let mut w = widget(&["lxd"]);
    let (_, hooks) = snapshot(
        &mut w,
        0,
        vec![c("a", State::Running), c("b", State::Stopped)],
    );
    assert!(hooks.is_empty(), "start-up is not a change");
    let (_, hooks) = snapshot(
        &mut w,
        0,
        vec![c("a", State::Frozen), c("n", State::Running)],
    );
    assert_eq!(
        hooks,
        vec![
            Request::Hook(
                HOOK.into(),
                vec![json!("lxd"), json!("a"), json!("running"), json!("frozen")]
            ),
            Request::Hook(
                HOOK.into(),
                vec![json!("lxd"), json!("n"), Value::Null, json!("running")]
            ),
            Request::Hook(
                HOOK.into(),
                vec![json!("lxd"), json!("b"), json!("stopped"), Value::Null]
            ),
        ]
    );
    // An outage and a recovery with the same states fire nothing.
    w.take(News::Fault {
        backend: 0,
        fault: Fault::NotRunning("/x".into()),
    });
    let (_, hooks) = snapshot(
        &mut w,
        0,
        vec![c("a", State::Frozen), c("n", State::Running)],
    );
    assert!(hooks.is_empty(), "{hooks:?}");
}

#[test]
fn the_format_option_shows_names_escaped() {
    let o: Map<String, Value> =
        serde_json::from_str(r#"{"format": "{running}/{total}: {running_names}"}"#).expect("json");
    let mut w = Containers::from_options(&Options::new("containers", &o)).expect("builds");
    snapshot(
        &mut w,
        0,
        vec![c("a<b", State::Running), c("z", State::Stopped)],
    );
    assert_eq!(w.text(), "1/2: a<b");
    assert_eq!(w.render_text(true), "1/2: a&lt;b");
}

#[test]
fn bad_options_are_config_errors_naming_them() {
    let build = |s: &str| {
        let o: Map<String, Value> = serde_json::from_str(s).expect("json");
        Containers::from_options(&Options::new("containers", &o)).err()
    };
    assert!(build(r#"{"backends": ["lxd", "lxc", "podman"], "interval": 2}"#).is_none());
    assert!(
        build(r#"{"backends": [{"kind": "lxd", "project": "all", "socket": "/s"}]}"#).is_none()
    );
    let e = build(r#"{"backends": ["lxe"]}"#).expect("error");
    assert!(e.contains("'lxe'") && e.contains("podman"), "{e}");
    let e = build(r#"{"backends": [{"socket": "/s"}]}"#).expect("error");
    assert!(e.contains("kind"), "{e}");
    let e = build(r#"{"backends": [{"kind": "lxd", "sokcet": "/s"}]}"#).expect("error");
    assert!(e.contains("sokcet"), "{e}");
    let e = build(r#"{"backends": "lxd"}"#).expect("error");
    assert!(e.contains("backends"), "{e}");
    let e = build(r#"{"interval": 0}"#).expect("error");
    assert!(e.contains("interval"), "{e}");
}

#[test]
fn the_registry_builds_it_and_it_renders_before_any_news() {
    let canvas = render_opts("containers", r#"{"backends": ["lxc", "podman"]}"#, 24);
    assert!(canvas.count_foreground() > 5);
}

/// A backend whose list is fixed and whose actions are recorded and answered.
struct Fake {
    list: Vec<Container>,
    acted: Mutex<Vec<(String, Action)>>,
    answer: Result<String, String>,
    lists: AtomicUsize,
}

impl Backend for Fake {
    fn label(&self) -> &str {
        "lxd"
    }
    fn list(&self) -> Result<Vec<Container>, Fault> {
        self.lists.fetch_add(1, Ordering::SeqCst);
        Ok(self.list.clone())
    }
    fn watch(&self) -> Result<Box<dyn model::Watch>, Fault> {
        Err(Fault::Other("no events".into()))
    }
    fn act(&self, c: &Container, action: Action) -> Result<String, String> {
        self.acted
            .lock()
            .expect("lock")
            .push((c.name.clone(), action));
        self.answer.clone()
    }
}

/// Pump until `cond` holds on what came out, waiting on the waker with a deadline.
fn pump_until(
    w: &mut Containers,
    woken: &mpsc::Receiver<()>,
    mut cond: impl FnMut(&Containers, &[Request]) -> bool,
) -> Vec<Request> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    loop {
        let (_, requests) = w.pump();
        seen.extend(requests);
        if cond(w, &seen) {
            return seen;
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        assert!(!left.is_zero(), "condition not met; requests: {seen:?}");
        let _ = woken.recv_timeout(left);
    }
}

#[test]
fn click_list_choose_a_container_then_an_action_and_see_the_daemons_answer() {
    let fake = Arc::new(Fake {
        list: vec![c("web", State::Running), c("db", State::Stopped)],
        acted: Mutex::new(Vec::new()),
        answer: Err("The instance is already stopped".into()),
        lists: AtomicUsize::new(0),
    });
    let (wake_tx, woken) = mpsc::channel();
    let wake_tx = Mutex::new(wake_tx);
    let waker: Waker = Arc::new(move || {
        let _ = wake_tx.lock().map(|t| t.send(()));
    });
    let mut w = widget(&["lxd"]);
    w.start_with(vec![fake.clone() as Arc<dyn Backend>], waker);
    pump_until(&mut w, &woken, |w, _| w.lists[0].is_some());

    let click = Click {
        button: Button::Left,
        x: 1,
        y: 1,
    };
    let (_, r) = w.click(click);
    let Some(Request::Popup(lines)) = r.first() else {
        panic!("a popup: {r:?}")
    };
    assert_eq!(lines.len(), 2);
    let web = lines
        .iter()
        .position(|l| l.contains("web"))
        .expect("web listed");
    assert!(lines[web].contains("running") && lines[web].contains("10.0.0.2"));

    let (_, r) = w.popup_choice(web);
    let Some(Request::Popup(lines)) = r.first() else {
        panic!("the actions: {r:?}")
    };
    assert_eq!(lines[0], "web (lxd, running)");
    let stop = lines
        .iter()
        .position(|l| l.trim() == "stop web")
        .expect("stop offered");
    assert!(!lines.iter().any(|l| l.trim() == "start web"), "{lines:?}");

    let (_, r) = w.popup_choice(stop);
    assert_eq!(r, vec![Request::Popup(vec!["lxd web: stop…".into()])]);
    let seen = pump_until(&mut w, &woken, |_, seen| !seen.is_empty());
    assert_eq!(
        seen,
        vec![Request::Popup(vec![
            "lxd web: stop failed: The instance is already stopped".into()
        ])]
    );
    assert_eq!(
        *fake.acted.lock().expect("lock"),
        vec![("web".to_string(), Action::Stop)]
    );
    assert_eq!(w.state()["last_action"]["ok"], false);
    assert_eq!(w.popup_choice(0).1, vec![Request::ClosePopup]);
}

#[test]
fn back_returns_to_the_list_and_fault_lines_choose_nothing() {
    let mut w = widget(&["lxd", "podman"]);
    snapshot(&mut w, 0, vec![c("web", State::Frozen)]);
    w.take(News::Fault {
        backend: 1,
        fault: Fault::Timeout,
    });
    let (_, r) = w.click(Click {
        button: Button::Left,
        x: 0,
        y: 0,
    });
    let Some(Request::Popup(lines)) = r.first() else {
        panic!("{r:?}")
    };
    let fault = lines
        .iter()
        .position(|l| l == "podman: not answering (timed out)")
        .expect("the fault is listed");
    assert_eq!(w.popup_choice(fault), (false, Vec::new()));
    let web = lines.iter().position(|l| l.contains("web")).expect("web");
    let (_, r) = w.popup_choice(web);
    let Some(Request::Popup(actions)) = r.first() else {
        panic!("{r:?}")
    };
    assert!(
        actions.iter().any(|l| l.trim() == "unfreeze web"),
        "{actions:?}"
    );
    let back = actions.len() - 1;
    let (_, r) = w.popup_choice(back);
    assert!(matches!(r.first(), Some(Request::Popup(l)) if l.len() == lines.len()));
}

/// Found writing the chaos bar door: the list popup closed with Escape while an action ran
/// came back by itself when the action ended, grabbing the keyboard and the pointer again.
#[test]
fn a_popup_closed_while_an_action_runs_stays_closed() {
    let mut w = widget(&["lxd"]);
    snapshot(&mut w, 0, vec![c("web", State::Running)]);
    let done = |w: &mut Containers| {
        w.take(News::Done {
            backend: 0,
            name: "web".into(),
            action: Action::Stop,
            result: Ok("done".into()),
        })
    };
    w.popup = Some(Popup::Pending(0, "web".into(), Action::Stop));
    assert_eq!(
        done(&mut w).1,
        vec![Request::Popup(vec!["lxd web: stop: done".into()])],
        "while it is open, the popup shows the result"
    );
    w.popup = Some(Popup::Pending(0, "web".into(), Action::Stop));
    w.popup_closed();
    assert_eq!(
        done(&mut w).1,
        Vec::new(),
        "once closed, nothing reopens it"
    );
    assert_eq!(w.state()["last_action"]["message"], "done");
}
